import { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { BodiesBusyError, BodyBudget, BodyTooLargeError, readJsonBody } from '../../../src/main/host/requestBody';

const body = (text: string, headers: Record<string, string> = {}) =>
  Object.assign(Readable.from([Buffer.from(text)]), { headers }) as unknown as IncomingMessage;

describe('request bodies', () => {
  it('refuses a body over its limit, and one that would take the shared budget past its own', async () => {
    await expect(readJsonBody(body('{"a":1}', { 'content-length': '999' }), 100)).rejects.toBeInstanceOf(BodyTooLargeError);
    await expect(readJsonBody(body('x'.repeat(200)), 100)).rejects.toBeInstanceOf(BodyTooLargeError);
    const budget = new BodyBudget(20);
    const held = await readJsonBody(body('{"input":{"a":12}}'), 100, budget); // 18 bytes, kept until given back
    expect(held).toEqual({ body: { input: { a: 12 } }, bytes: 18 });
    await expect(readJsonBody(body('{"b":1}'), 100, budget)).rejects.toBeInstanceOf(BodiesBusyError);
    expect(budget.inUse).toBe(18);
    budget.give(held.bytes);
    expect((await readJsonBody(body('{"b":1}'), 100, budget)).body).toEqual({ b: 1 });
  });
});
