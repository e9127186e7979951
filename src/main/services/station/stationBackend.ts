import { EventEmitter } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { ApiError, type ApiResult } from '../../../shared/api/apiErrors';
import { imageRefSchema, reportFilterSchema } from '../../../shared/api/apiRecords';
import { isMethodName, STATION_API, type MethodName } from '../../../shared/api/stationApi';
import type { StationEvent } from '../../../shared/api/stationEvents';
import { productNameSchema } from '../../../shared/productNameRule';
import { Catalog } from '../../catalog/catalog';
import { initTfjs } from '../../engine/tfjsRuntime';
import { onnxExecutionInfo, onnxRuntimeDetail, processOnnxExecution } from '../../engineAdapters/onnxExecution';
import { writeCsvReport } from '../../reports/csvReport';
import { isWithin, stationPaths } from '../../stationPaths';
import { apiErrorBody, isUnexpectedError } from './apiErrorBody';
import { MqttResultFeed } from '../line/mqttResultFeed';
import { LineStation } from './lineStation';
import { createHandlers, type HandlerContext } from './apiHandlers';
import { processIsAlive } from '../workers/processLiveness';
import { openStationLog } from './stationLog';
import { RepeatThrottle } from './repeatThrottle';
import { TRAINING_HEARTBEAT_STALE_MS } from '../training/trainingRunRecord';
import { checkHotFolder } from './hotFolderLocation';
import { invalidInputMessage } from './invalidInputMessage';
import { pruneInspectionImages } from './imageRetention';
import { removeOrphanFiles } from './orphanFiles';
import { HotFolderService } from './hotFolderService';
import { InspectionService } from './inspectionService';
import { inspectionQuery } from './inspectionQuery';
import { StationSessions } from './stationSessions';
import { readSettings } from './stationSettings';
import { TrainingService } from './trainingService';
import type { StationService, StationServiceOptions } from '../stationService';
import { NotAuthorisedError } from './supervisorActions';

const failure = (error: unknown): ApiResult<never> => ({ ok: false, error: apiErrorBody(error) });

/** Retention runs at start and then this often (and whenever a supervisor changes it). */
const RETENTION_INTERVAL_MS = 60 * 60 * 1000;

/** Internal setting (not in the settings screen): the product the hot folder was watching. */
const HOT_FOLDER_RESUME_KEY = 'hotFolderResume';
const HOT_FOLDER_OPERATOR_KEY = 'hotFolderOperator';

/**
 * The station behind every UI: validates each call against STATION_API, checks the caller's access,
 * runs the handler and returns the ApiResult envelope. Electron's IPC and the browser host are thin
 * transports over this.
 */

export async function openStationService(options: StationServiceOptions): Promise<StationService> {
  const paths = stationPaths(options.home);
  const catalog = Catalog.open(paths.catalogFile);
  const log = openStationLog(paths.logsDir);
  log.info('station starting', { appVersion: options.appVersion, shell: options.shell, pid: process.pid });
  const interrupted = catalog.trainingRuns.failInterrupted(processIsAlive, TRAINING_HEARTBEAT_STALE_MS);
  const tfjs = await initTfjs();
  // The execution provider is chosen at start, so the first inspection does not wait on a GPU that fails.
  const onnx = await processOnnxExecution.get();
  (onnx.passedOver.some((p) => p.reason === 'failed') ? log.warn : log.info)('onnxruntime execution provider', {
    provider: onnx.provider,
    detail: onnxRuntimeDetail(onnx),
  });
  const events = new EventEmitter();
  // Every result goes to the line's MQTT broker too, when one is set (docs/line-integration.md).
  const mqttFeed = new MqttResultFeed(catalog);
  const configureMqtt = () => {
    const settings = readSettings(catalog);
    mqttFeed.configure({ url: settings.mqttUrl, topic: settings.mqttTopic, station: settings.stationName });
  };
  configureMqtt();
  const emit = (event: StationEvent) => {
    if (event.event === 'inspection') mqttFeed.notify();
    events.emit('event', event);
  };
  const sessions = new StationSessions();
  const inspections = new InspectionService(catalog, paths);
  let trainingState = 'idle';
  const training = new TrainingService(
    catalog,
    paths,
    (status) => {
      if (status.state !== trainingState) {
        trainingState = status.state;
        (status.state === 'failed' ? log.error : log.info)(`training ${status.state}`, {
          runId: status.runId,
          modelVersion: status.modelVersion,
          error: status.error,
        });
      }
      emit({ event: 'training.progress', payload: status });
    },
    options.trainingEpochs
      ? { overrides: { phase1Epochs: options.trainingEpochs.phase1, phase2Epochs: options.trainingEpochs.phase2 } }
      : {},
  );
  const hotFolder = new HotFolderService(
    () => readSettings(catalog).hotFolder,
    (bytes, fileName, product, operatorId) =>
      inspections.inspectBytes(bytes, fileName, product, {
        station: readSettings(catalog).stationName,
        operatorId,
        source: 'hot-folder',
      }),
    {
      inspected: (payload) => {
        emit({ event: 'inspection', payload });
        line.hotFolderFrames.inspected(payload);
      },
      rejected: (fileName, reason, movedTo) => {
        line.hotFolderFrames.rejected(fileName, reason);
        log.warn('hot folder file rejected', { fileName, reason, movedTo });
        emit({ event: 'hotFolder.rejected', payload: { fileName, reason, movedTo } });
      },
      status: (payload) => {
        if (payload.problem) log.warn('hot folder problem', { problem: payload.problem });
        emit({ event: 'hotFolder.status', payload });
      },
    },
    (folder) => checkHotFolder(folder, paths.home),
    (watch) =>
      catalog.settings.setMany({ [HOT_FOLDER_RESUME_KEY]: watch?.product ?? null, [HOT_FOLDER_OPERATOR_KEY]: watch?.operator?.id ?? null }),
  );
  // The PLC's trigger handshake and its OPC UA server (docs/line-integration.md).
  const line = new LineStation({ catalog, paths, inspections, hotFolder, sessions, log, emit });
  await line.configure();
  const saved = catalog.settings.all();
  const resumeProduct = productNameSchema.safeParse(saved[HOT_FOLDER_RESUME_KEY]);
  if (resumeProduct.success) {
    // Results after a restart are still recorded for who started watching, while they are an active user.
    const operatorId = saved[HOT_FOLDER_OPERATOR_KEY];
    const user = typeof operatorId === 'number' ? catalog.users.get(operatorId) : undefined;
    const operator = user && !user.disabled ? { id: user.id, name: user.name } : null;
    await hotFolder.resume({ product: resumeProduct.data, operator }, inspections.activeProducts().has(resumeProduct.data));
  }
  const applyRetention = () => {
    const settings = readSettings(catalog);
    const result = pruneInspectionImages(catalog, paths.home, {
      maxAgeDays: settings.retentionDays,
      maxBytes: settings.retentionMaxGb === null ? null : settings.retentionMaxGb * 1e9,
    });
    if (result.pruned > 0) log.info('inspection images pruned by the retention policy', result);
  };
  applyRetention();
  const retentionTimer = setInterval(applyRetention, RETENTION_INTERVAL_MS);
  retentionTimer.unref();
  const orphans = removeOrphanFiles(catalog, paths);
  if (orphans.length > 0)
    log.warn('removed files of inspections that were never recorded (the station stopped mid-inspection)', { files: orphans.length });
  if (interrupted > 0) {
    catalog.audit.record({ actor: 'station', action: 'training.interrupted', details: { runs: interrupted } });
    log.warn('training runs of stopped processes marked failed', { runs: interrupted });
  }

  const context: HandlerContext = {
    catalog,
    paths,
    sessions,
    inspections,
    training,
    hotFolder,
    emit,
    options,
    log,
    applyRetention,
    mqtt: { status: () => mqttFeed.status(), reconfigure: configureMqtt },
    line,
    runtime: {
      tfjsBackend: tfjs.detail,
      cores: os.availableParallelism(),
      onnxExecution: () => onnxExecutionInfo(processOnnxExecution.current() ?? onnx),
    },
  };
  const handlers = createHandlers(context);
  const refusals = new RepeatThrottle();
  const lockouts = new RepeatThrottle();

  return {
    async dispatch(clientId, method, input) {
      try {
        if (!isMethodName(method))
          throw new ApiError('unknown-method', `Unknown API method ${JSON.stringify(String(method)).slice(0, 80)}`);
        const spec = STATION_API[method];
        const supervisor = sessions.supervisor(clientId);
        if (spec.access === 'supervisor' && !supervisor) {
          // Keyed by who and what, not by connection: a fresh client id per call must not get a fresh row.
          const { record, repeats } = refusals.admit(`${sessions.operator(clientId)?.name ?? 'station'}:${method}`, Date.now());
          if (record)
            catalog.audit.record({
              actor: sessions.operator(clientId)?.name ?? 'station',
              action: 'auth.refused',
              target: method,
              details: {
                reason: 'supervisor action without an unlocked supervisor',
                ...(repeats > 0 ? { repeatsSinceLastRow: repeats } : {}),
              },
            });
          throw new ApiError('not-authorised', 'This needs a supervisor: unlock with a supervisor name and PIN first');
        }
        const parsed = spec.input.safeParse(input ?? {});
        if (!parsed.success) {
          log.warn('request refused: input does not fit', {
            method,
            issues: parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`),
          });
          throw new ApiError('invalid-request', invalidInputMessage(parsed.error.issues));
        }
        const handler = handlers[method as MethodName] as (clientId: string, input: unknown) => Promise<unknown> | unknown;
        const value = await handler(clientId, parsed.data);
        return { ok: true, value };
      } catch (error) {
        if (
          error instanceof NotAuthorisedError &&
          /Too many wrong PINs/.test(error.message) &&
          lockouts.admit(error.message, Date.now()).record
        )
          log.warn('supervisor name locked after wrong PINs', { message: error.message });
        if (isUnexpectedError(error))
          log.error('unexpected error', {
            method: String(method).slice(0, 80),
            message: error instanceof Error ? error.message : String(error),
            stack: error instanceof Error ? error.stack : undefined,
          });
        return failure(error);
      }
    },

    onEvent(listener) {
      events.on('event', listener);
      return () => events.off('event', listener);
    },

    async resolveImage(ref) {
      const parsed = imageRefSchema.safeParse(ref);
      if (!parsed.success) return null;
      const [kind, id, which] = parsed.data.split('/');
      const row = kind === 'inspection' ? catalog.inspections.get(Number(id)) : undefined;
      if (row?.imagesRemoved) return null;
      const inspectionFiles = { image: row?.imagePath, overlay: row?.overlayPath, map: row?.anomalyMapPath };
      const file = kind === 'inspection' ? inspectionFiles[which as keyof typeof inspectionFiles] : catalog.samples.get(Number(id))?.path;
      if (!file) return null;
      // Only files inside the station's data folder are ever served.
      return isWithin(file, paths.home) ? path.resolve(file) : null;
    },

    async writeReport(filter: unknown, out: Writable) {
      try {
        const parsed = reportFilterSchema.safeParse(filter);
        if (!parsed.success)
          throw new ApiError('invalid-request', `Report filter: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
        const query = inspectionQuery(catalog, parsed.data);
        const names = {
          product: (id: number) => catalog.classes.get(id)?.name ?? `#${id}`,
          operator: (id: number | null) => (id === null ? '' : (catalog.users.get(id)?.name ?? `#${id}`)),
          modelVersion: (id: number) => catalog.models.get(id)?.version ?? `#${id}`,
        };
        const rows = await writeCsvReport(catalog.inspections.iterate(query), names, out);
        catalog.audit.record({ actor: 'station', action: 'report.export', details: { ...parsed.data, rows } });
        return { ok: true, value: { rows } };
      } catch (error) {
        return failure(error);
      }
    },

    disconnect(clientId) {
      sessions.forget(clientId);
      line.screenFrames.withdraw(clientId);
    },

    log(level, message, details) {
      log[level](message, details);
    },

    async close() {
      clearInterval(retentionTimer);
      await hotFolder.halt(); // resumed at the next start
      await training.close();
      await line.close();
      await inspections.close();
      await mqttFeed.close();
      events.removeAllListeners();
      catalog.close();
      log.info('station stopped');
      await log.close();
    },
  };
}
