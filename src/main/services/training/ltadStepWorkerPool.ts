import type { Worker } from 'node:worker_threads';
import { stepWorkerReplySchema, type StepWorkerReply } from '../../../shared/training';
import type { StepWorkers, WorkerShare } from '../../engine/ltad/stepWorkers';
import type { StepWorkerCommand, StepWorkerInput } from './ltadStepWorker';
import { receiveValidated, startWorker, workerScript } from '../workers/workerRpc';

type Waiter = { resolve(reply: StepWorkerReply): void; reject(error: Error): void };

/** One helper thread; replies come in the order of the commands that ask for one. */
class StepWorkerThread {
  private readonly waiters: Waiter[] = [];
  private failure: Error | undefined;

  constructor(
    readonly worker: Worker,
    readonly index: number,
  ) {
    receiveValidated(
      worker,
      stepWorkerReplySchema,
      (reply) => {
        if (reply.type === 'failed') return this.fail(new Error(`Training helper ${index} failed: ${reply.message}`));
        this.waiters.shift()?.resolve(reply);
      },
      (why) => this.fail(new Error(`Training helper ${index} sent a malformed message: ${why}`)),
    );
    worker.on('error', (error) => this.fail(new Error(`Training helper ${index} failed: ${error.message}`)));
    worker.on('exit', (code) => this.fail(new Error(`Training helper ${index} stopped (exit code ${code})`)));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const w of this.waiters.splice(0)) w.reject(this.failure);
  }

  /** Sends a command; resolves with its reply when it asks for one. */
  request(command: StepWorkerCommand | undefined, transfer: ArrayBuffer[] = []): Promise<StepWorkerReply> {
    if (this.failure) return Promise.reject(this.failure);
    const reply = new Promise<StepWorkerReply>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (command) this.worker.postMessage(command, transfer);
    return reply;
  }

  post(command: StepWorkerCommand): void {
    if (!this.failure) this.worker.postMessage(command);
  }
}

class StepWorkerPool implements StepWorkers {
  private nextId = 0;

  constructor(private readonly threads: StepWorkerThread[]) {}

  get size(): number {
    return this.threads.length;
  }

  async startPhase(...[phase, weights, parameterNames, optimizer]: Parameters<StepWorkers['startPhase']>): Promise<void> {
    await Promise.all(
      this.threads.map((t) => t.request({ type: 'phase', phase, weights, parameterNames: [...parameterNames], optimizer })),
    );
  }

  async computeShare(...[worker, request, weight]: Parameters<StepWorkers['computeShare']>): Promise<WorkerShare> {
    const thread = this.threads[worker];
    if (!thread) throw new Error(`No training helper ${worker}`);
    const id = this.nextId++;
    const reply = await thread.request({ type: 'compute', id, request, weight });
    if (reply.type !== 'share' || reply.id !== id) throw new Error(`Training helper ${worker} answered out of turn`);
    return { grads: reply.grads, losses: reply.losses };
  }

  applyGradients(grads: readonly Float32Array[]): void {
    for (const t of this.threads) t.post({ type: 'apply', grads: [...grads] });
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }
}

/** Starts `count` helper threads and resolves once every one has its network and data ready. */
export async function startStepWorkers(count: number, input: StepWorkerInput): Promise<StepWorkers> {
  const threads = Array.from(
    { length: count },
    (_, i) => new StepWorkerThread(startWorker(workerScript(__dirname, 'ltadStepWorker'), input), i),
  );
  const pool = new StepWorkerPool(threads);
  try {
    await Promise.all(threads.map((t) => t.request(undefined)));
  } catch (error) {
    await pool.close();
    throw error;
  }
  return pool;
}
