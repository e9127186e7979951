import type { OpcuaStatus } from '../../../shared/api/apiRecords';
import type { StationEvent } from '../../../shared/api/stationEvents';
import type { Catalog } from '../../catalog/catalog';
import { hashPin, verifyPin } from '../../catalog/repositories/pinHash';
import { isDomainError } from '../../domainError';
import { ImageDecodeError } from '../../ingest/imageDecodeError';
import type { StationPaths } from '../../stationPaths';
import { HotFolderFrames } from '../line/hotFolderFrames';
import { LineError } from '../line/lineErrors';
import type { RunningOpcuaServer } from '../line/opcuaLineServer';
import { NO_SCREEN_OFFERS, ScreenFrames } from '../line/screenFrames';
import { type FrameSource, TriggerHandshake } from '../line/triggerHandshake';
import type { HotFolderService } from './hotFolderService';
import type { InspectionService } from './inspectionService';
import { RepeatThrottle } from './repeatThrottle';
import { QueueFullError } from './serialQueue';
import type { StationLog } from './stationLog';
import type { StationSessions } from './stationSessions';
import { readSettings } from './stationSettings';

/** Internal settings (not on the settings screen): the PLC's product and the OPC UA password's hash. */
const LINE_PRODUCT_KEY = 'lineProduct';
const PASSWORD_HASH_KEY = 'opcuaPasswordHash';
/** Ready follows lapsed screen offers and model changes at least this often. */
const REFRESH_MS = 1_000;
/** An inspection that takes longer answers the trigger with an error (the first one loads the model). */
export const LINE_INSPECTION_TIMEOUT_MS = 30_000;

export interface LineStationParts {
  catalog: Catalog;
  paths: StationPaths;
  inspections: InspectionService;
  hotFolder: HotFolderService;
  sessions: StationSessions;
  log: StationLog;
  emit(event: StationEvent): void;
}

const percentile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? null;

/**
 * The station on the line (docs/line-integration.md): the trigger handshake, its frame sources
 * (the Inspect screen's camera, the hot folder) and the OPC UA server that exposes it, started,
 * restarted and stopped as the settings say.
 */
export class LineStation {
  readonly screenFrames: ScreenFrames;
  readonly hotFolderFrames: HotFolderFrames;
  readonly handshake: TriggerHandshake;
  private server: RunningOpcuaServer | null = null;
  private serverConfig = '';
  private problem: string | null = null;
  /** Server starts and stops, one after another. */
  private applying: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;
  private readonly loginRefusals = new RepeatThrottle();

  constructor(private readonly parts: LineStationParts) {
    const { catalog, inspections, sessions, emit } = parts;
    this.screenFrames = new ScreenFrames(
      (request) => emit({ event: 'line.frameRequest', payload: request }),
      () => this.refresh(),
    );
    this.hotFolderFrames = new HotFolderFrames(() => {
      const status = parts.hotFolder.status();
      return status.watching && status.product ? { product: status.product } : null;
    });
    const timeoutMs = () => readSettings(catalog).lineFrameTimeoutSeconds * 1000;
    const screen: FrameSource = {
      problem: () => (this.screenFrames.available() ? null : NO_SCREEN_OFFERS),
      inspect: async (product) => {
        const frame = await this.screenFrames.request(product, timeoutMs());
        const result = await inspections.inspectBytes(frame.bytes, `line-${new Date().toISOString()}.png`, product, {
          station: readSettings(catalog).stationName,
          operatorId: sessions.operator(frame.clientId)?.id ?? null,
          source: 'camera',
        });
        emit({ event: 'inspection', payload: result });
        return result;
      },
    };
    const hotFolder: FrameSource = {
      problem: (product) => this.hotFolderFrames.problem(product),
      inspect: () => this.hotFolderFrames.next(timeoutMs()),
    };
    const stored = catalog.settings.all()[LINE_PRODUCT_KEY];
    this.handshake = new TriggerHandshake(
      {
        activeModel: () => {
          const active = catalog.models.active();
          return active ? { version: active.version, products: inspections.activeProducts() } : null;
        },
        frames: () => (readSettings(catalog).lineFrameSource === 'hot-folder' ? hotFolder : screen),
        classify: (error) => this.classify(error),
        onChange: (state) => {
          this.server?.update(state);
          emit({ event: 'line.status', payload: this.status() });
        },
        onProductSelected: (product) => {
          catalog.settings.setMany({ [LINE_PRODUCT_KEY]: product });
          parts.log.info('line selected a product', { product });
        },
        inspectionTimeoutMs: LINE_INSPECTION_TIMEOUT_MS,
        now: () => performance.now(),
      },
      typeof stored === 'string' ? stored : null,
    );
    this.timer = setInterval(() => this.handshake.refresh(), REFRESH_MS);
    this.timer.unref();
  }

  refresh(): void {
    this.handshake.refresh();
  }

  /** Starts, restarts or stops the OPC UA server for the settings now; resolves once it is done. */
  configure(): Promise<void> {
    this.applying = this.applying.then(() => this.apply());
    return this.applying;
  }

  setPassword(password: string | null): void {
    this.parts.catalog.settings.setMany({ [PASSWORD_HASH_KEY]: password === null ? null : hashPin(password) });
  }

  status(): OpcuaStatus {
    const settings = readSettings(this.parts.catalog);
    const { triggers, refused, timings } = this.handshake.counts();
    const sorted = [...timings].sort((a, b) => a - b);
    return {
      enabled: settings.opcuaEnabled,
      endpoint: this.server?.endpoint ?? null,
      problem: this.problem,
      passwordSet: this.passwordHash() !== null,
      sessions: this.server?.sessions() ?? 0,
      frameSource: settings.lineFrameSource,
      handshake: this.handshake.snapshot(),
      triggers,
      refused,
      p50TriggerToResultMs: percentile(sorted, 0.5),
      p99TriggerToResultMs: percentile(sorted, 0.99),
    };
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.applying;
    await this.stopServer();
  }

  private passwordHash(): string | null {
    const stored = this.parts.catalog.settings.all()[PASSWORD_HASH_KEY];
    return typeof stored === 'string' ? stored : null;
  }

  private async apply(): Promise<void> {
    const settings = readSettings(this.parts.catalog);
    const config = {
      port: settings.opcuaPort,
      security: settings.opcuaSecurity,
      anonymous: settings.opcuaAnonymous,
      user: settings.opcuaUser,
      password: this.passwordHash(),
    };
    const key = settings.opcuaEnabled ? JSON.stringify(config) : '';
    if (key === this.serverConfig && (this.server || !key)) return;
    await this.stopServer();
    this.serverConfig = key;
    this.problem = null;
    if (key && !config.anonymous && !(config.user && config.password))
      this.problem = 'No client can log in: set a user name and password, or allow anonymous clients';
    else if (key)
      try {
        // node-opcua takes about a second to load: only a station that serves OPC UA pays for it.
        const { startOpcuaLineServer } = require('../line/opcuaLineServer') as typeof import('../line/opcuaLineServer');
        this.server = await startOpcuaLineServer(this.handshake, {
          port: config.port,
          security: config.security,
          anonymous: config.anonymous,
          isValidUser: (user, password) => {
            const valid = user === config.user && config.password !== null && verifyPin(password, config.password);
            if (!valid) this.refusedLogin(user);
            return valid;
          },
          pkiDir: this.parts.paths.opcuaPkiDir,
          warn: (message) => this.parts.log.warn('OPC UA server', { message }),
        });
        this.parts.log.info('OPC UA server listening', { endpoint: this.server.endpoint, security: config.security });
      } catch (error) {
        this.problem = serverProblem(error, config.port);
        this.parts.log.warn('OPC UA server did not start', { problem: this.problem });
      }
    this.parts.emit({ event: 'line.status', payload: this.status() });
  }

  private async stopServer(): Promise<void> {
    const server = this.server;
    this.server = null;
    await server?.close();
  }

  /** A wrong OPC UA user or password: logged and audited, once per user name a minute (a PLC retrying must not flood). */
  private refusedLogin(user: string): void {
    const { record, repeats } = this.loginRefusals.admit(user, Date.now());
    if (!record) return;
    const details = { user: user.slice(0, 64), ...(repeats > 0 ? { repeatsSinceLastRow: repeats } : {}) };
    this.parts.log.warn('OPC UA login refused: wrong user name or password', details);
    this.parts.catalog.audit.record({ actor: 'opc-ua client', action: 'line.opcua-login-refused', target: user.slice(0, 64), details });
  }

  /** A station error as the PLC's error code; what is not the image's or the queue's fault is logged. */
  private classify(error: unknown): LineError {
    if (error instanceof LineError) return error;
    if (error instanceof QueueFullError) return new LineError('stationBusy', error.message);
    if (error instanceof ImageDecodeError) return new LineError('imageRefused', error.message);
    if (isDomainError(error, 'no-model')) return new LineError('noModel', (error as Error).message);
    const message = error instanceof Error ? error.message : String(error);
    this.parts.log.error('line trigger failed', { message });
    return new LineError('inspectionFailed', 'The inspection failed inside the station: the station log has the details');
  }
}

function serverProblem(error: unknown, port: number): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/EADDRINUSE/.test(message)) return `Port ${port} is taken by another program: choose another port`;
  if (/EACCES/.test(message)) return `Port ${port} may not be opened by this user: choose another port`;
  return `The OPC UA server did not start: ${message}`;
}
