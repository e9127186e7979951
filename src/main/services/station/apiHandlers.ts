import type { z } from 'zod';
import type { MqttStatus, OnnxExecutionInfo } from '../../../shared/api/apiRecords';
import type { StationEvent } from '../../../shared/api/stationEvents';
import type { MethodName, MethodOutput, StationApiSpec } from '../../../shared/api/stationApi';
import type { User } from '../../../shared/catalogTypes';
import type { Catalog } from '../../catalog/catalog';
import { DomainError } from '../../domainError';
import type { StationPaths } from '../../stationPaths';
import type { StationLog } from './stationLog';
import type { StationServiceOptions } from '../stationService';
import { authenticateSupervisor, authenticateUser, NotAuthorisedError } from './supervisorActions';
import { checkHotFolder } from './hotFolderLocation';
import type { HotFolderService } from './hotFolderService';
import { toInspectionResult } from './inspectionRecords';
import { inspectionQuery } from './inspectionQuery';
import type { InspectionService } from './inspectionService';
import type { LineStation } from './lineStation';
import { activateModel, listModels, setThreshold } from './modelService';
import { validateBesideActive } from './modelValidationService';
import { addInspectionImage, createProduct, type ImportKind, importImages, listProducts } from './productService';
import type { StationSessions } from './stationSessions';
import { readSettings, writeSettings } from './stationSettings';
import type { TrainingService } from './trainingService';

export interface HandlerContext {
  catalog: Catalog;
  paths: StationPaths;
  sessions: StationSessions;
  inspections: InspectionService;
  training: TrainingService;
  hotFolder: HotFolderService;
  emit(event: StationEvent): void;
  options: StationServiceOptions;
  log: StationLog;
  /** Applies the retention settings now. */
  applyRetention(): void;
  /** The results feed to the line's MQTT broker: its status, and a restart after its settings changed. */
  mqtt: { status(): MqttStatus; reconfigure(): void };
  /** The PLC's trigger handshake, its frame sources and its OPC UA server. */
  line: LineStation;
  /** What computes; the onnxruntime provider is read at each call, since a session may have fallen back to CPU since. */
  runtime: { tfjsBackend: string; cores: number; onnxExecution(): OnnxExecutionInfo };
}

type Handlers = {
  [M in MethodName]: (clientId: string, input: z.output<StationApiSpec[M]['input']>) => Promise<MethodOutput<M>> | MethodOutput<M>;
};

const toUserSummary = (u: User) => ({
  id: u.id,
  name: u.name,
  role: u.role,
  hasPin: u.hasPin,
  disabled: u.disabled,
  createdAt: u.createdAt,
});

/** One function per API method; the dispatcher has validated the input and the caller's access already. */
export function createHandlers(ctx: HandlerContext): Handlers {
  const { catalog, sessions } = ctx;
  /** The unlocked supervisor's catalogue record (the dispatcher checked there is one). */
  const supervisor = (clientId: string): User => {
    const s = sessions.supervisor(clientId);
    const user = s && catalog.users.get(s.id);
    if (!user) throw new NotAuthorisedError('This needs a supervisor: unlock with a supervisor name and PIN first');
    return user;
  };
  const productSummary = (name: string) => {
    const found = listProducts(catalog, ctx.inspections.activeProducts()).find((p) => p.name === name);
    if (!found) throw new DomainError('not-found', `No product named "${name}"`);
    return found;
  };
  const hasSupervisor = () => catalog.users.list().some((u) => u.role === 'supervisor' && !u.disabled);
  /** Images sent into a product as base64 (products.importImages, products.importDefects). */
  const importSent = (clientId: string, input: { product: string; files: { fileName: string; data: string }[] }, kind: ImportKind) =>
    importImages(
      catalog,
      ctx.paths,
      supervisor(clientId),
      input.product,
      input.files.map((f) => ({ fileName: f.fileName, bytes: Buffer.from(f.data, 'base64') })),
      kind,
    );
  const inspection = (id: number) => {
    const row = catalog.inspections.get(id);
    if (!row) throw new DomainError('not-found', `No inspection #${id}`);
    return toInspectionResult(catalog, row);
  };

  return {
    'station.info': (clientId) => ({
      appVersion: ctx.options.appVersion,
      stationName: readSettings(catalog).stationName,
      dataFolder: ctx.paths.home,
      runtime: {
        tfjsBackend: ctx.runtime.tfjsBackend,
        featureRuntime: ctx.inspections.featureRuntime(),
        onnx: ctx.runtime.onnxExecution(),
        cores: ctx.runtime.cores,
      },
      activeModel: catalog.models.active()?.version ?? null,
      session: sessions.describe(clientId),
      shell: ctx.options.shell,
      needsSetup: !hasSupervisor(),
    }),

    'setup.firstSupervisor': (clientId, { name, pin }) => {
      if (hasSupervisor()) throw new DomainError('conflict', 'The station has a supervisor already: ask them to add users under Settings');
      const user = catalog.users.create(name, 'supervisor', pin);
      catalog.audit.record({ userId: user.id, actor: user.name, action: 'setup.first-supervisor', target: name });
      sessions.unlock(clientId, { id: user.id, name: user.name });
      return sessions.describe(clientId);
    },

    'session.setOperator': (clientId, { name, pin }) => {
      if (name === null) sessions.setOperator(clientId, null);
      else {
        const user = catalog.users.getByName(name);
        if (!user || user.disabled) throw new DomainError('not-found', `No active user named "${name}"`);
        // Whoever has a PIN (every supervisor) is named only with it; operators without one are picked freely.
        if (user.hasPin) {
          if (!pin) throw new NotAuthorisedError(`${user.name} has a PIN: enter it to work as ${user.name}`);
          authenticateUser(catalog, user.name, pin);
        }
        sessions.setOperator(clientId, { id: user.id, name: user.name });
        catalog.audit.record({ userId: user.id, actor: user.name, action: 'operator.select', details: { withPin: user.hasPin } });
      }
      return sessions.describe(clientId);
    },
    'session.unlock': (clientId, { name, pin }) => {
      const user = authenticateSupervisor(catalog, name, pin);
      sessions.unlock(clientId, { id: user.id, name: user.name });
      catalog.audit.record({ userId: user.id, actor: user.name, action: 'auth.unlock' });
      return sessions.describe(clientId);
    },
    'session.lock': (clientId) => {
      sessions.lock(clientId);
      return sessions.describe(clientId);
    },

    'products.list': () => listProducts(catalog, ctx.inspections.activeProducts()),
    'products.create': (clientId, { name, displayName }) => {
      createProduct(catalog, supervisor(clientId), name, displayName);
      return productSummary(name);
    },
    'products.importImages': (clientId, input) => importSent(clientId, input, 'good'),
    'products.importDefects': (clientId, input) => importSent(clientId, input, 'defect'),

    'inspect.image': async (clientId, { product, source, fileName, data }) => {
      const result = await ctx.inspections.inspectBytes(Buffer.from(data, 'base64'), fileName, product, {
        station: readSettings(catalog).stationName,
        operatorId: sessions.operator(clientId)?.id ?? null,
        source,
      });
      ctx.emit({ event: 'inspection', payload: result });
      return result;
    },

    'hotFolder.status': () => ctx.hotFolder.status(),
    'hotFolder.start': (clientId, { product }) => {
      if (!ctx.inspections.activeProducts().has(product))
        throw new DomainError('no-model', `The active model cannot inspect "${product}" yet: retrain and promote first`);
      // The folder's results are recorded for the operator selected where watching was started.
      return ctx.hotFolder.start(product, sessions.operator(clientId));
    },
    'hotFolder.stop': () => ctx.hotFolder.stop(),

    'history.list': (_clientId, { page, pageSize, ...filter }) => {
      const query = inspectionQuery(catalog, filter);
      const rows = catalog.inspections.list({ ...query, limit: pageSize, offset: page * pageSize });
      return { total: catalog.inspections.count(query), rows: rows.map((r) => toInspectionResult(catalog, r)) };
    },
    'history.get': (_clientId, { id }) => inspection(id),
    'history.review': (clientId, { id, review }) => {
      const judged = inspection(id);
      // A false reject is a good part that failed, a false accept a defective part that passed.
      if ((review === 'false-accept' && judged.verdict === 'fail') || (review === 'false-reject' && judged.verdict === 'pass'))
        throw new DomainError(
          'invalid-input',
          `Inspection #${id} ${judged.verdict === 'fail' ? 'failed' : 'passed'}: it can be a ${judged.verdict === 'fail' ? 'false reject' : 'false accept'}, not a ${review.replace('-', ' ')}`,
        );
      catalog.inspections.setReview(id, review);
      const who = sessions.supervisor(clientId) ?? sessions.operator(clientId);
      catalog.audit.record({
        userId: who?.id ?? null,
        actor: who?.name ?? 'station',
        action: 'inspection.review',
        target: String(id),
        details: { review },
      });
      return inspection(id);
    },

    'history.addAsGood': (clientId, { id }) => addInspectionImage(catalog, ctx.paths, supervisor(clientId), id, 'good'),
    'history.addAsDefect': (clientId, { id }) => addInspectionImage(catalog, ctx.paths, supervisor(clientId), id, 'defect'),

    'training.start': (clientId, { preset }) =>
      ctx.training.start(supervisor(clientId), preset, readSettings(catalog).targetFalseRejectRate),
    'training.cancel': (clientId) => ctx.training.cancel(supervisor(clientId)),
    'training.status': () => ctx.training.current(),

    'models.list': () => listModels(catalog),
    'models.promote': async (clientId, { version }) => {
      const summary = activateModel(catalog, supervisor(clientId), version);
      await ctx.inspections.invalidate();
      return summary;
    },
    'models.validate': async (clientId, { version }) => {
      supervisor(clientId);
      return validateBesideActive(catalog, ctx.paths, version);
    },
    'models.setThreshold': async (clientId, { version, product, threshold }) => {
      // The next inspection reads the new threshold from the catalogue: no model reload.
      return setThreshold(catalog, supervisor(clientId), version, product, threshold);
    },

    'reports.count': (_clientId, { filter }) => ({ rows: catalog.inspections.count(inspectionQuery(catalog, filter)) }),
    'reports.summary': (_clientId, { filter, utcOffsetMinutes }) => {
      // Both verdicts count toward a rate: the filter's verdict does not apply here.
      const query = inspectionQuery(catalog, { ...filter, verdict: null });
      return {
        days: catalog.inspections.dailyCounts(query, utcOffsetMinutes),
        failures: catalog.inspections.failureCounts(query).map(({ classId, reason, failed }) => ({
          product: catalog.classes.get(classId)?.name ?? `#${classId}`,
          reason,
          failed,
        })),
      };
    },

    'settings.get': () => readSettings(catalog),
    'line.mqttStatus': () => ctx.mqtt.status(),
    'line.opcuaStatus': () => ctx.line.status(),
    'line.setOpcuaPassword': async (clientId, { password }) => {
      const who = supervisor(clientId);
      ctx.line.setPassword(password);
      catalog.audit.record({
        userId: who.id,
        actor: who.name,
        action: password === null ? 'line.opcua-password-removed' : 'line.opcua-password-set',
      });
      await ctx.line.configure();
      return { ok: true as const };
    },
    'line.offerFrames': (clientId, { offer }) => {
      if (offer) return ctx.line.screenFrames.offer(clientId);
      ctx.line.screenFrames.withdraw(clientId);
      return { providerId: null, leaseSeconds: 0 };
    },
    'line.frame': (clientId, answer) => {
      ctx.line.screenFrames.answer(
        clientId,
        answer.requestId,
        'data' in answer ? { bytes: Buffer.from(answer.data, 'base64') } : { problem: answer.problem },
      );
      return { ok: true as const };
    },
    'logs.tail': (_clientId, { lines }) => ctx.log.tail(lines),
    'settings.set': async (clientId, changes) => {
      const who = supervisor(clientId);
      if (changes.hotFolder !== undefined && changes.hotFolder !== null && changes.hotFolder.trim() === '')
        changes = { ...changes, hotFolder: null }; // an emptied field means "none"
      if (changes.hotFolder) checkHotFolder(changes.hotFolder, ctx.paths.home);
      const next = writeSettings(catalog, changes);
      catalog.audit.record({ userId: who.id, actor: who.name, action: 'settings.set', details: changes });
      if ('retentionDays' in changes || 'retentionMaxGb' in changes) ctx.applyRetention();
      if ('mqttUrl' in changes || 'mqttTopic' in changes || 'stationName' in changes) ctx.mqtt.reconfigure();
      if (Object.keys(changes).some((k) => k.startsWith('opcua'))) await ctx.line.configure();
      if ('lineFrameSource' in changes) ctx.line.refresh();
      return next;
    },

    'users.list': () => catalog.users.list().map(toUserSummary),
    'users.create': (clientId, { name, role, pin }) => {
      const who = supervisor(clientId);
      const user = catalog.users.create(name, role, pin ?? undefined);
      catalog.audit.record({ userId: who.id, actor: who.name, action: 'user.create', target: name, details: { role } });
      return toUserSummary(user);
    },
    'users.setPin': (clientId, { name, pin }) => {
      const who = supervisor(clientId);
      const user = catalog.users.getByName(name);
      if (!user) throw new DomainError('not-found', `No user named "${name}"`);
      catalog.users.setPin(user.id, pin);
      catalog.audit.record({ userId: who.id, actor: who.name, action: 'user.set-pin', target: name });
      return { ok: true as const };
    },
    'audit.list': (_clientId, { limit }) =>
      catalog.audit
        .list({ limit })
        .map((e) => ({ id: e.id, at: e.at, actor: e.actor, action: e.action, target: e.target, details: e.details })),
  };
}
