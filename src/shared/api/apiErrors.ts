import { z } from 'zod';

/**
 * Errors every API call can return, whatever carries it (IPC or the browser host). The UI shows
 * `message` as it is: it is written for the person at the station.
 */
export const API_ERROR_CODES = [
  'invalid-request', // the arguments failed their schema
  'unknown-method',
  'not-authorised', // a supervisor action without a valid supervisor session
  'not-found',
  'conflict', // e.g. a product name that exists, a training run already going
  'bad-image', // the image could not be read (see the message for why)
  'no-model', // nothing trained or promoted yet, or the product is not in the model
  'busy', // too much in flight (inspections queued, large requests): try again shortly
  'internal',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export const apiErrorSchema = z.object({ code: z.enum(API_ERROR_CODES), message: z.string() });
export type ApiErrorBody = z.infer<typeof apiErrorSchema>;

/** Thrown by services and the transports; serialised as { ok: false, error }. */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toBody(): ApiErrorBody {
    return { code: this.code, message: this.message };
  }
}

/** What crosses the boundary for every call. */
export const apiResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: apiErrorSchema }),
]);
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiErrorBody };
