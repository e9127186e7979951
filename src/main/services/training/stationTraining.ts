import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ModelVersion } from '../../../shared/catalogTypes';
import type { TrainingProgressEventMessage } from '../../../shared/training';
import type { Catalog } from '../../catalog/catalog';
import type { StationPaths } from '../../stationPaths';
import type { TrainingJobRequest } from './ltadTrainingJob';
import { TrainingRunRecord, type TrainingRequester } from './trainingRunRecord';
import { startTrainingWorker, type TrainingWorkerStarter } from './trainingWorkerClient';

/** A training job as the CLI and the benchmarks ask for it: the job's fields (the station adds its cache) plus who asked. */
export interface StationTrainingRequest extends Omit<TrainingJobRequest, 'cacheDir'>, TrainingRequester {}

export interface StationTrainingOutcome {
  model: ModelVersion;
  trainingRunId: number;
  seconds: number;
  perPhaseSeconds: Record<string, number>;
}

function sha256File(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/**
 * Dataset images enter the catalogue here, as imports do through the station (productService.ts):
 * each product, and each image with its hash; images it holds already are skipped.
 */
function recordDatasetImages(catalog: Catalog, classes: StationTrainingRequest['classes']): void {
  for (const c of classes) {
    const product = catalog.classes.getByName(c.name) ?? catalog.classes.create(c.name);
    const sample = (file: string) => ({
      classId: product.id,
      path: file,
      sha256: sha256File(file),
      split: 'train' as const,
      label: 'good' as const,
      source: 'dataset' as const,
    });
    catalog.samples.addMany(c.trainFiles.map(sample));
  }
}

/**
 * Trains a model on dataset files into a station's catalogue (`qa-station train`, benchmarks):
 * records the products and their images, runs training in the worker thread with progress stored
 * on the run, and registers the result as a candidate model version. The caller can cancel through
 * `signal`. The station itself trains on what its catalogue holds already (station/trainingService.ts).
 */
export async function trainForStation(
  catalog: Catalog,
  paths: StationPaths,
  request: StationTrainingRequest,
  listeners: { onProgress?(event: TrainingProgressEventMessage): void; onLog?(line: string): void; signal?: AbortSignal } = {},
  startWorker: TrainingWorkerStarter = startTrainingWorker,
): Promise<StationTrainingOutcome> {
  const { actor, userId, ...job } = request;
  recordDatasetImages(catalog, job.classes);
  const run = TrainingRunRecord.begin(catalog, paths, job, { actor, userId: userId ?? null });
  try {
    const handle = startWorker({ ...job, cacheDir: paths.backboneCacheDir }, run.modelDir, {
      onProgress: (event) => {
        listeners.onProgress?.(event);
        run.recordProgress(event);
      },
      ...(listeners.onLog ? { onLog: listeners.onLog } : {}),
    });
    listeners.signal?.addEventListener('abort', () => handle.cancel(), { once: true });
    const done = await handle.result;
    const model = run.succeed(done);
    return { model, trainingRunId: run.id, seconds: done.seconds, perPhaseSeconds: done.perPhaseSeconds };
  } catch (error) {
    run.fail(error);
    throw error;
  }
}
