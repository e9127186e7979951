import { parentPort, workerData } from 'node:worker_threads';
import { z } from 'zod';
import type { TrainingWorkerMessage } from '../../../shared/training';
import { writeModelDirectory } from '../../engineAdapters/modelDirectory';
import { TrainingCancelledError } from '../../engine/ltad/trainingCancelledError';
import { runTrainingJob, type TrainingJobRequest } from './ltadTrainingJob';
import { errorMessage, receiveValidated } from '../workers/workerRpc';
import { lowerThisThreadsPriority } from './threadPriority';
import { trainedModelRecord } from './trainedModelRecord';

/**
 * Worker-thread entry: runs one training job off the main thread, writes the model directory and
 * reports back everything the registry records (trainedModelRecord.ts).
 */
export interface TrainingWorkerInput {
  request: TrainingJobRequest;
  modelDir: string;
}

const port = parentPort;
if (!port) throw new Error('trainingWorker must run in a worker thread');
let cancelled = false;
// The one message the job takes; anything else is reported, not acted on.
receiveValidated(
  port,
  z.literal('cancel'),
  () => {
    cancelled = true;
  },
  (why) => send({ type: 'log', line: `training worker: ignored a malformed message (${why})` }),
);
const send = (message: TrainingWorkerMessage) => port.postMessage(message);
const input = workerData as TrainingWorkerInput;
lowerThisThreadsPriority(); // training yields to inspections

runTrainingJob(input.request, { onProgress: (event) => send({ type: 'progress', event }), shouldCancel: () => cancelled }, (line) =>
  send({ type: 'log', line }),
)
  .then(({ model, seconds, perPhaseSeconds }) => {
    const fileHashes = writeModelDirectory(input.modelDir, model.meta, model.weights());
    const record = trainedModelRecord(model, input.modelDir, fileHashes);
    model.dispose();
    send({ type: 'done', model: record, seconds, perPhaseSeconds });
  })
  .catch((error: unknown) => {
    if (error instanceof TrainingCancelledError) send({ type: 'cancelled' });
    else send({ type: 'failed', message: errorMessage(error) });
  })
  .finally(() => port.close());
