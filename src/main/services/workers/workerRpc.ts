import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { z } from 'zod';

/**
 * What every worker thread of the station shares: how it is started, how what crosses the thread
 * boundary is checked, and how errors are written when they cross it.
 */

/**
 * The script of the worker `name` in `dir` (the caller's __dirname): the compiled JavaScript in a
 * build, else the TypeScript source (development and tests).
 */
export function workerScript(dir: string, name: string): string {
  const js = path.join(dir, `${name}.js`);
  return existsSync(js) ? js : path.join(dir, `${name}.ts`);
}

/** Starts a worker on `script`; a TypeScript source is loaded through tsx's require hook (a devDependency). */
export function startWorker(script: string, workerData: unknown): Worker {
  if (!script.endsWith('.ts')) return new Worker(script, { workerData });
  return new Worker(`require('tsx/cjs'); require(${JSON.stringify(script)});`, { eval: true, workerData });
}

/** Either end of a thread boundary: a Worker seen from its owner, a MessagePort seen from the worker. */
interface MessageSource {
  on(event: 'message', listener: (value: unknown) => void): unknown;
}

/**
 * Checks every message from the other thread against `schema`: a message is structured-cloned
 * across the boundary, and a bug on one side must surface as an error, not as a hang. A malformed
 * one goes to `onMalformed` with a one-line reason.
 */
export function receiveValidated<Schema extends z.ZodType>(
  source: MessageSource,
  schema: Schema,
  onMessage: (message: z.infer<Schema>) => void,
  onMalformed: (why: string, raw: unknown) => void,
): void {
  source.on('message', (raw: unknown) => {
    const parsed = schema.safeParse(raw);
    if (parsed.success) onMessage(parsed.data);
    else onMalformed(describeIssues(parsed.error), raw);
  });
}

/** One line per problem: the logs stay readable. */
function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(message)'}: ${issue.message}`).join('; ');
}

/** An error's message as sent across the boundary (only plain data crosses it). */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
