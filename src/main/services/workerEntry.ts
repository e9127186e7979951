import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * Starts a worker thread on `name` in this folder: compiled JavaScript in a build; in development
 * and tests the TypeScript source, loaded through tsx's require hook (a devDependency).
 */
export function startWorkerEntry(name: string, workerData: unknown, dir: string = __dirname): Worker {
  const js = path.join(dir, `${name}.js`);
  if (existsSync(js)) return new Worker(js, { workerData });
  return startTypeScriptWorker(path.join(dir, `${name}.ts`), workerData);
}

export function startTypeScriptWorker(entry: string, workerData: unknown): Worker {
  return new Worker(`require('tsx/cjs'); require(${JSON.stringify(entry)});`, { eval: true, workerData });
}
