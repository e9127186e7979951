import { z } from 'zod';
import { apiResultSchema } from './apiErrors';

/**
 * The protocol between the station service's worker thread and the thread that owns it (the
 * Electron main process). Both ends validate what they receive: a message is structured-cloned
 * across the thread boundary, and a bug on one side must surface as an error, not as a hang.
 */

const requestId = z.number().int().nonnegative();

/** From the owning thread to the worker. */
export const toWorkerMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('dispatch'), id: requestId, clientId: z.string(), method: z.unknown(), input: z.unknown() }),
  z.object({ type: z.literal('resolveImage'), id: requestId, ref: z.unknown() }),
  z.object({ type: z.literal('writeReport'), id: requestId, filter: z.unknown() }),
  z.object({ type: z.literal('disconnect'), clientId: z.string() }),
  z.object({
    type: z.literal('log'),
    level: z.enum(['info', 'warn', 'error']),
    message: z.string().max(4000),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
  z.object({ type: z.literal('close') }),
]);
export type ToWorkerMessage = z.infer<typeof toWorkerMessageSchema>;

/** From the worker to the owning thread. */
export const fromWorkerMessageSchema = z.discriminatedUnion('type', [
  /** The service opened: calls may start. */
  z.object({ type: z.literal('ready') }),
  /** The service could not open (e.g. the catalogue is damaged); the worker exits after this. */
  z.object({ type: z.literal('startFailed'), message: z.string() }),
  /** The answer to `dispatch` or `writeReport`. */
  z.object({ type: z.literal('result'), id: requestId, result: apiResultSchema }),
  z.object({ type: z.literal('image'), id: requestId, path: z.string().nullable() }),
  /** Part of a report; sent as produced, the owning thread writes them in order. */
  z.object({ type: z.literal('reportChunk'), id: requestId, chunk: z.instanceof(Uint8Array) }),
  /** The service ended the report stream (it owns that decision; the owner mirrors it). */
  z.object({ type: z.literal('reportEnd'), id: requestId }),
  /** A pushed event; its payload is checked against STATION_EVENTS by the receiver. */
  z.object({ type: z.literal('event'), event: z.string(), payload: z.unknown() }),
  /** The service closed; the worker exits after this. */
  z.object({ type: z.literal('closed') }),
]);
export type FromWorkerMessage = z.infer<typeof fromWorkerMessageSchema>;

const epochs = z.number().int().positive();

/** The worker's `workerData`: what the service opens with (StationServiceOptions). */
export const stationServiceOptionsSchema = z
  .object({
    home: z.string().min(1),
    shell: z.enum(['electron', 'browser-host']),
    appVersion: z.string(),
    trainingEpochs: z.object({ phase1: epochs, phase2: epochs }).strict().optional(),
  })
  .strict();
