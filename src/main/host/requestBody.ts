import type { IncomingMessage } from 'node:http';

export class BodyTooLargeError extends Error {
  constructor(limit: number) {
    super(`The request is larger than ${Math.max(1, Math.round(limit / 1024 / 1024))} MB, the limit for this call`);
  }
}

export class BodiesBusyError extends Error {
  constructor() {
    super('The station is receiving other large requests: try again in a moment');
  }
}

/**
 * Bytes of request bodies being read at once, across all requests: a burst of large uploads is
 * answered "busy" instead of growing memory without bound.
 */
export class BodyBudget {
  private used = 0;

  constructor(readonly limit: number) {}

  take(bytes: number): void {
    if (this.used + bytes > this.limit) throw new BodiesBusyError();
    this.used += bytes;
  }

  give(bytes: number): void {
    this.used -= bytes;
  }

  get inUse(): number {
    return this.used;
  }
}

/**
 * Reads and parses a JSON body, refusing it as soon as it passes `limit` bytes or the shared
 * budget. The bytes stay taken from the budget until the caller gives them back (after handling
 * the request, when the parsed body can go); on failure they are given back here.
 */
export async function readJsonBody(
  request: IncomingMessage,
  limit: number,
  budget?: BodyBudget,
): Promise<{ body: unknown; bytes: number }> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limit) throw new BodyTooLargeError(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of request) {
      const length = (chunk as Buffer).length;
      if (size + length > limit) throw new BodyTooLargeError(limit);
      budget?.take(length);
      size += length;
      chunks.push(chunk as Buffer);
    }
    return { body: size === 0 ? {} : (JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown), bytes: size };
  } catch (error) {
    budget?.give(size);
    throw error;
  }
}
