import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { lowerThisThreadsPriority, TRAINING_NICENESS, TRAINING_PRIORITY_ENV } from '../../../../src/main/services/training/threadPriority';

const entry = path.resolve(__dirname, '../../../../src/main/services/training/threadPriority.ts');

/** Runs lowerThisThreadsPriority in a fresh worker thread and reports its priority there. */
function inWorker(env: Record<string, string> = {}): Promise<{ lowered: boolean; priority: number }> {
  const code = `require('tsx/cjs'); const os = require('node:os'); const { parentPort } = require('node:worker_threads');
    const lowered = require(${JSON.stringify(entry)}).lowerThisThreadsPriority(); parentPort.postMessage({ lowered, priority: os.getPriority() });`;
  const worker = new Worker(code, { eval: true, env: { ...process.env, ...env } });
  return new Promise((resolve, reject) => {
    worker.once('message', (m) => {
      resolve(m);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

describe('training thread priority', () => {
  it.runIf(process.platform === 'linux')('lowers the training thread only, not the thread that inspects', async () => {
    const before = os.getPriority();
    const result = await inWorker();
    expect(result).toEqual({ lowered: true, priority: TRAINING_NICENESS });
    expect(os.getPriority()).toBe(before);
  });

  it('leaves priorities alone where it would lower the whole process, or when told to', async () => {
    expect(lowerThisThreadsPriority('win32')).toBe(false);
    expect(lowerThisThreadsPriority('darwin')).toBe(false);
    expect(await inWorker({ [TRAINING_PRIORITY_ENV]: 'normal' })).toEqual({ lowered: false, priority: os.getPriority() });
  });
});
