import { trainingWorkerMessageSchema, type TrainedModel, type TrainingProgressEventMessage } from '../../../shared/training';
import { TrainingCancelledError } from '../../engine/ltad/trainingCancelledError';
import type { TrainingJobRequest } from './ltadTrainingJob';
import type { TrainingWorkerInput } from './trainingWorker';
import { receiveValidated, startWorker, workerScript } from '../workers/workerRpc';

/** A finished training job: the model it wrote, as the registry records it, and how long it took. */
export interface TrainingWorkerOutcome {
  model: TrainedModel;
  seconds: number;
  perPhaseSeconds: Record<string, number>;
}

export interface TrainingHandle {
  /** Resolves once the model directory is written, or rejects (TrainingCancelledError when cancelled, else failed). */
  result: Promise<TrainingWorkerOutcome>;
  cancel(): void;
}

export interface TrainingListeners {
  onProgress?(event: TrainingProgressEventMessage): void;
  onLog?(line: string): void;
}

/** Starts a training job in a worker thread, so the caller's thread never runs tensor math. */
export function startTrainingWorker(request: TrainingJobRequest, modelDir: string, listeners: TrainingListeners = {}): TrainingHandle {
  const worker = startWorker(workerScript(__dirname, 'trainingWorker'), { request, modelDir } satisfies TrainingWorkerInput);
  const result = new Promise<TrainingWorkerOutcome>((resolve, reject) => {
    let settled = false;
    receiveValidated(
      worker,
      trainingWorkerMessageSchema,
      (message) => {
        if (message.type === 'progress') listeners.onProgress?.(message.event);
        else if (message.type === 'log') listeners.onLog?.(message.line);
        else {
          settled = true;
          if (message.type === 'done')
            resolve({ model: message.model, seconds: message.seconds, perPhaseSeconds: message.perPhaseSeconds });
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

/** How a training job is started: startTrainingWorker, or a fake in tests. */
export type TrainingWorkerStarter = typeof startTrainingWorker;
