import { z } from 'zod';
import { hotFolderStatusSchema, inspectionResultSchema, opcuaStatusSchema, trainingStatusSchema } from './apiRecords';

/** Events the main side pushes to every open UI (IPC `station:event`, or the host's WebSocket). */
export const STATION_EVENTS = {
  /** A result from any source: the hot folder, another window, the camera. */
  inspection: inspectionResultSchema,
  'training.progress': trainingStatusSchema,
  'hotFolder.status': hotFolderStatusSchema,
  /** A file in the hot folder could not be inspected; it was moved aside (`movedTo`). */
  'hotFolder.rejected': z.object({ fileName: z.string(), reason: z.string(), movedTo: z.string().nullable() }),
  /** A line trigger asks the Inspect screen that offered frames (providerId) for one; answered with line.frame. */
  'line.frameRequest': z.object({ requestId: z.string(), providerId: z.string(), product: z.string() }),
  /** The OPC UA server or its handshake changed (a trigger, a result, an acknowledgement). */
  'line.status': opcuaStatusSchema,
} as const;

export type EventName = keyof typeof STATION_EVENTS;
export type EventPayload<E extends EventName> = z.output<(typeof STATION_EVENTS)[E]>;
export const stationEventSchema = z.object({
  event: z.enum(Object.keys(STATION_EVENTS) as [EventName, ...EventName[]]),
  payload: z.unknown(),
});
export type StationEvent = { [E in EventName]: { event: E; payload: EventPayload<E> } }[EventName];
