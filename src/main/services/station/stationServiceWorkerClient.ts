import type { Writable } from 'node:stream';
import type { Worker } from 'node:worker_threads';
import type { ApiErrorCode, ApiResult } from '../../../shared/api/apiErrors';
import { STATION_EVENTS, type StationEvent } from '../../../shared/api/stationEvents';
import {
  fromWorkerMessageSchema,
  stationServiceOptionsSchema,
  type FromWorkerMessage,
  type ToWorkerMessage,
} from '../../../shared/api/workerMessages';
import type { StationService, StationServiceOptions } from '../stationService';
import { errorMessage, receiveValidated, startWorker, workerScript } from '../workers/workerRpc';

/** How long close() waits for the service to shut down before the worker is terminated. */
const CLOSE_TIMEOUT_MS = 15_000;

/**
 * Starts the station service in a worker thread and resolves once it has opened (rejects with the
 * service's own message if it cannot open). `entry` is the worker script, by default the compiled
 * stationServiceWorker.js or, in development and tests, its TypeScript source.
 */
export async function openStationServiceInWorker(
  options: StationServiceOptions,
  entry: string = workerScript(__dirname, 'stationServiceWorker'),
): Promise<StationService> {
  keepSharpLoadedOnThisThread();
  const data = stationServiceOptionsSchema.parse(options);
  const worker = startWorker(entry, data);
  const client = new StationServiceWorkerClient(worker);
  try {
    await client.started;
  } catch (error) {
    await worker.terminate();
    throw error;
  }
  return client;
}

/**
 * sharp's libraries must stay loaded for the life of the process: on glibc, a worker that loaded
 * them and exits would otherwise unload them under other threads (sharp's worker-thread note).
 * Loading is not tensor math, so the owning thread may do it.
 */
function keepSharpLoadedOnThisThread(): void {
  try {
    require('sharp');
  } catch {
    // No sharp here (e.g. a platform without its binary): the service reports that itself.
  }
}

type Pending =
  | { kind: 'result'; resolve(result: ApiResult<unknown>): void; out?: Writable }
  | { kind: 'image'; resolve(path: string | null): void };

class StationServiceWorkerClient implements StationService {
  /** Resolves when the service has opened; rejects if it could not. */
  readonly started: Promise<void>;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(event: StationEvent) => void>();
  private nextId = 1;
  /** Why calls fail from now on; null while the worker runs. */
  private stoppedBecause: string | null = null;
  private lastWorkerError: string | null = null;
  private exited: Promise<void>;
  private closing: Promise<void> | null = null;
  private settleStart: { resolve(): void; reject(error: Error): void } | null = null;

  constructor(private readonly worker: Worker) {
    this.started = new Promise<void>((resolve, reject) => {
      this.settleStart = { resolve, reject };
    });
    this.exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    receiveValidated(
      worker,
      fromWorkerMessageSchema,
      (message) => this.receive(message),
      (why, raw) => this.rejectMalformed(raw, why),
    );
    worker.on('error', (error) => {
      this.lastWorkerError = error.message;
    });
    worker.on('exit', (code) => this.onExit(code));
  }

  async dispatch(clientId: string, method: unknown, input: unknown): Promise<ApiResult<unknown>> {
    return new Promise((resolve) => {
      const id = this.nextId++;
      this.request(id, { kind: 'result', resolve }, { type: 'dispatch', id, clientId, method, input });
    });
  }

  onEvent(listener: (event: StationEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A request like any other: the calling thread never waits on the worker. */
  resolveImage(ref: unknown): Promise<string | null> {
    return new Promise((resolve) => {
      const id = this.nextId++;
      this.request(id, { kind: 'image', resolve }, { type: 'resolveImage', id, ref });
    });
  }

  writeReport(filter: unknown, out: Writable): Promise<ApiResult<{ rows: number }>> {
    return new Promise((resolve) => {
      const id = this.nextId++;
      this.request(
        id,
        { kind: 'result', resolve: (result) => resolve(result as ApiResult<{ rows: number }>), out },
        { type: 'writeReport', id, filter },
      );
    });
  }

  disconnect(clientId: string): void {
    if (this.stoppedBecause === null) this.post({ type: 'disconnect', clientId });
  }

  log(level: 'info' | 'warn' | 'error', message: string, details?: Record<string, unknown>): void {
    if (this.stoppedBecause === null) this.post({ type: 'log', level, message: message.slice(0, 4000), ...(details ? { details } : {}) });
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    if (this.stoppedBecause !== null) return;
    this.stoppedBecause = 'The station is shutting down.';
    this.post({ type: 'close' });
    const timer = setTimeout(() => void this.worker.terminate(), CLOSE_TIMEOUT_MS);
    await this.exited;
    clearTimeout(timer);
  }

  /** Sends a request, or answers it at once when the worker cannot take it. */
  private request(id: number, pending: Pending, message: ToWorkerMessage): void {
    if (this.stoppedBecause !== null) {
      answerFailed(pending, 'internal', this.stoppedBecause);
      return;
    }
    this.pending.set(id, pending);
    try {
      this.worker.postMessage(message);
    } catch (error) {
      // e.g. a function or a class instance in the input: structured clone refuses it.
      this.pending.delete(id);
      answerFailed(pending, 'invalid-request', `The request could not be sent to the station: ${errorMessage(error)}`);
    }
  }

  private post(message: ToWorkerMessage): boolean {
    try {
      this.worker.postMessage(message);
      return true;
    } catch (error) {
      console.error(`station service: could not post ${message.type}: ${errorMessage(error)}`);
      return false;
    }
  }

  private receive(message: FromWorkerMessage): void {
    switch (message.type) {
      case 'ready':
        this.settleStart?.resolve();
        return;
      case 'startFailed':
        this.settleStart?.reject(new Error(message.message));
        return;
      case 'result':
      case 'image':
        this.answer(message);
        return;
      case 'reportChunk':
        // No backpressure on purpose: a report is small next to the memory of the station.
        this.reportStream(message.id)?.write(Buffer.from(message.chunk.buffer, message.chunk.byteOffset, message.chunk.byteLength));
        return;
      case 'reportEnd':
        this.reportStream(message.id)?.end();
        return;
      case 'event':
        this.emit(message.event, message.payload);
        return;
      case 'closed':
        return; // the exit that follows settles everything
    }
  }

  private answer(message: Extract<FromWorkerMessage, { type: 'result' | 'image' }>): void {
    const pending = this.pending.get(message.id);
    if (!pending) {
      console.error(`station service: an answer to unknown request ${message.id} was dropped`);
      return;
    }
    this.pending.delete(message.id);
    if (pending.kind === 'result' && message.type === 'result') pending.resolve(message.result as ApiResult<unknown>);
    else if (pending.kind === 'image' && message.type === 'image') pending.resolve(message.path);
    else answerFailed(pending, 'internal', 'The station answered with the wrong kind of message.');
  }

  private reportStream(id: number): Writable | undefined {
    const pending = this.pending.get(id);
    return pending?.kind === 'result' ? pending.out : undefined;
  }

  /** Events are checked against their schema here: a bad one is dropped, never shown. */
  private emit(name: string, payload: unknown): void {
    const schema = Object.hasOwn(STATION_EVENTS, name) ? STATION_EVENTS[name as keyof typeof STATION_EVENTS] : null;
    const parsed = schema?.safeParse(payload);
    if (!parsed?.success) {
      console.error(`station service: dropped a malformed event ${JSON.stringify(name)}`);
      return;
    }
    const event = { event: name, payload: parsed.data } as StationEvent;
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        console.error(`station service: an event listener failed: ${errorMessage(error)}`);
      }
    }
  }

  /** A malformed answer fails its request (when it names one) rather than leaving it waiting. */
  private rejectMalformed(raw: unknown, why: string): void {
    console.error(`station service: malformed message from the worker: ${why}`);
    const id = typeof raw === 'object' && raw !== null && 'id' in raw ? (raw as { id: unknown }).id : undefined;
    const pending = typeof id === 'number' ? this.pending.get(id) : undefined;
    if (!pending || typeof id !== 'number') return;
    this.pending.delete(id);
    answerFailed(pending, 'internal', 'The station sent a malformed answer.');
  }

  private onExit(code: number): void {
    const shuttingDown = this.stoppedBecause !== null;
    const why = this.lastWorkerError ?? `exit code ${code}`;
    this.stoppedBecause ??= `The station's background service stopped unexpectedly (${why}). Restart QA Station.`;
    if (!shuttingDown) console.error(`station service: worker stopped (${why})`);
    this.settleStart?.reject(new Error(this.lastWorkerError ?? `The station service stopped while starting (exit code ${code})`));
    for (const pending of this.pending.values()) answerFailed(pending, 'internal', this.stoppedBecause);
    this.pending.clear();
  }
}

function answerFailed(pending: Pending, code: ApiErrorCode, message: string): void {
  if (pending.kind === 'image') pending.resolve(null);
  else pending.resolve({ ok: false, error: { code, message } });
}
