import { trainingWorkerMessageSchema, type TrainingProgressEventMessage } from '../../../shared/training';
import { TrainingCancelledError } from '../../engine/ltad/trainingCancelledError';
import type { TrainingJobRequest } from './ltadTrainingJob';
import type { TrainingWorkerInput } from './trainingWorker';
import { receiveValidated, startWorker, workerScript } from '../workers/workerRpc';

export interface TrainingHandle {
  /** Resolves with the written model directory, or rejects (TrainingCancelledError when cancelled, else failed). */
  result: Promise<{ modelDir: string; fileHashes: Record<string, string>; seconds: number; perPhaseSeconds: Record<string, number> }>;
  cancel(): void;
}

/** Starts a training job in a worker thread, so the caller's thread never runs tensor math. */
export function startTrainingWorker(
  request: TrainingJobRequest,
  modelDir: string,
  listeners: { onProgress?(event: TrainingProgressEventMessage): void; onLog?(line: string): void } = {},
): TrainingHandle {
  const worker = startWorker(workerScript(__dirname, 'trainingWorker'), { request, modelDir } satisfies TrainingWorkerInput);
  const result = new Promise<Awaited<TrainingHandle['result']>>((resolve, reject) => {
    let settled = false;
    receiveValidated(
      worker,
      trainingWorkerMessageSchema,
      (message) => {
        if (message.type === 'progress') listeners.onProgress?.(message.event);
        else if (message.type === 'log') listeners.onLog?.(message.line);
        else {
          settled = true;
          if (message.type === 'done') resolve(message);
          else if (message.type === 'cancelled') reject(new TrainingCancelledError());
          else reject(new Error(`Training failed: ${message.message}`));
        }
      },
      (why) => {
        settled = true;
        reject(new Error(`Training worker sent a malformed message: ${why}`));
        void worker.terminate();
      },
    );
    worker.on('error', (error) => {
      if (!settled) reject(error);
      settled = true;
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`Training worker stopped unexpectedly (exit code ${code})`));
      settled = true;
    });
  });
  return { result, cancel: () => worker.postMessage('cancel') };
}
