import { Writable } from 'node:stream';
import type { MessagePort } from 'node:worker_threads';
import { toWorkerMessageSchema, type FromWorkerMessage, type ToWorkerMessage } from '../../../shared/api/workerMessages';
import type { StationService } from '../stationService';
import { errorMessage, receiveValidated } from '../workers/workerRpc';

/**
 * The worker side of the station service protocol: opens the service, then answers the owning
 * thread's messages until it says `close`. Kept apart from the worker entry so tests can serve a
 * fake service over the same protocol.
 */
export async function serveStationService(port: MessagePort, open: () => Promise<StationService>): Promise<void> {
  const send = (message: FromWorkerMessage) => port.postMessage(message);
  let service: StationService;
  try {
    service = await open();
  } catch (error) {
    send({ type: 'startFailed', message: errorMessage(error) });
    port.close();
    return;
  }
  const unsubscribe = service.onEvent((event) => {
    try {
      send({ type: 'event', event: event.event, payload: event.payload });
    } catch (error) {
      console.error(`station service worker: event ${event.event} not forwarded: ${errorMessage(error)}`);
    }
  });

  receiveValidated(
    port,
    toWorkerMessageSchema,
    (message) => handle(message).catch((error: unknown) => answerFailure(message, error)),
    // The owner is our own code: log the bug, there is no request id to answer.
    (why) => console.error(`station service worker: ignored a malformed message: ${why}`),
  );
  send({ type: 'ready' });

  async function handle(message: ToWorkerMessage): Promise<void> {
    switch (message.type) {
      case 'dispatch':
        send({ type: 'result', id: message.id, result: await dispatchQuietly(service, message.clientId, message.method, message.input) });
        return;
      case 'resolveImage':
        send({ type: 'image', id: message.id, path: await resolveQuietly(service, message.ref) });
        return;
      case 'writeReport':
        send({ type: 'result', id: message.id, result: await writeReport(service, message.id, message.filter, send) });
        return;
      case 'disconnect':
        service.disconnect(message.clientId);
        return;
      case 'log':
        service.log(message.level, message.message, message.details);
        return;
      case 'close':
        unsubscribe();
        await service.close().catch((error: unknown) => console.error(`station service worker: close failed: ${errorMessage(error)}`));
        send({ type: 'closed' });
        port.close();
        return;
    }
  }

  /** A request whose answer could not be sent (e.g. a value that cannot be cloned) still gets one. */
  function answerFailure(message: ToWorkerMessage, error: unknown): void {
    console.error(`station service worker: ${message.type} failed: ${errorMessage(error)}`);
    service.log('error', `station service worker: ${message.type} failed`, { message: errorMessage(error) });
    if (message.type === 'dispatch' || message.type === 'writeReport') {
      send({
        type: 'result',
        id: message.id,
        result: { ok: false, error: { code: 'internal', message: `The station could not answer: ${errorMessage(error)}` } },
      });
    } else if (message.type === 'resolveImage') {
      send({ type: 'image', id: message.id, path: null });
    }
  }
}

/** Chunks go out as they are written: the owner writes them to the real stream in order. */
async function writeReport(service: StationService, id: number, filter: unknown, send: (message: FromWorkerMessage) => void) {
  const out = new Writable({
    write(chunk: Buffer | string, encoding, callback) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk;
      // A copy: cloning a view of Node's shared buffer pool would send the whole pool.
      send({ type: 'reportChunk', id, chunk: new Uint8Array(bytes) });
      callback();
    },
    final(callback) {
      send({ type: 'reportEnd', id });
      callback();
    },
  });
  try {
    return await service.writeReport(filter, out);
  } catch (error) {
    return { ok: false as const, error: { code: 'internal' as const, message: `The report could not be written: ${errorMessage(error)}` } };
  }
}

/** The interface says dispatch never throws; a bug must still reach the caller as a result. */
async function dispatchQuietly(service: StationService, clientId: string, method: unknown, input: unknown) {
  try {
    return await service.dispatch(clientId, method, input);
  } catch (error) {
    return { ok: false as const, error: { code: 'internal' as const, message: `The station could not answer: ${errorMessage(error)}` } };
  }
}

/** An image that cannot be resolved is "not found" for the caller; the reason goes to the log. */
async function resolveQuietly(service: StationService, ref: unknown): Promise<string | null> {
  try {
    return await service.resolveImage(ref);
  } catch (error) {
    console.error(`station service worker: resolveImage failed: ${errorMessage(error)}`);
    return null;
  }
}
