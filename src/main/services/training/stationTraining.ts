import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ModelVersion } from '../../../shared/catalogTypes';
import type { TrainingProgressEventMessage } from '../../../shared/training';
import type { Catalog } from '../../catalog/catalog';
import { TrainingCancelledError } from '../../engine/ltad/trainingCancelledError';
import type { TrainingJobRequest } from './ltadTrainingJob';
import type { StationPaths } from '../../stationPaths';
import { modelDirectoryFor, newModelVersionName, registerModel } from './modelRegistry';
import { startTrainingWorker } from './trainingWorkerClient';

/** A training job as the station asks for it: the job's fields (the station adds its cache) plus who asked. */
export interface StationTrainingRequest extends Omit<TrainingJobRequest, 'cacheDir'> {
  actor: string;
  userId?: number | null;
}

export interface StationTrainingOutcome {
  model: ModelVersion;
  trainingRunId: number;
  seconds: number;
  perPhaseSeconds: Record<string, number>;
}

/** A training process says it is alive this often; a run silent for the stale time is failed. */
export const TRAINING_HEARTBEAT_MS = 30_000;
export const TRAINING_HEARTBEAT_STALE_MS = 5 * 60_000;

function jobFields(request: StationTrainingRequest): Omit<TrainingJobRequest, 'cacheDir'> {
  const { actor: _actor, userId: _userId, ...job } = request;
  return job;
}

function sha256File(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/**
 * Trains a model for the station: records the products and their good images in the catalogue,
 * runs training in a worker thread with progress stored on the training run, and registers the
 * result as a candidate model version. The caller can cancel through `signal`.
 */
export async function trainForStation(
  catalog: Catalog,
  paths: StationPaths,
  request: StationTrainingRequest,
  listeners: { onProgress?(event: TrainingProgressEventMessage): void; onLog?(line: string): void; signal?: AbortSignal } = {},
): Promise<StationTrainingOutcome> {
  for (const c of request.classes) {
    const product = catalog.classes.getByName(c.name) ?? catalog.classes.create(c.name);
    catalog.samples.addMany(c.trainFiles.map((file) => ({ classId: product.id, path: file, sha256: sha256File(file), split: 'train' as const, label: 'good' as const, source: 'dataset' as const })));
  }
  const version = newModelVersionName();
  const config = { version, preset: request.preset, ablation: request.ablation ?? 'none', seed: request.seed, foundation: request.foundation, classes: request.classes.map((c) => ({ name: c.name, images: c.trainFiles.length })), overrides: request.overrides ?? {} };
  const run = catalog.trainingRuns.create(config, request.userId ?? null);
  catalog.audit.record({ userId: request.userId ?? null, actor: request.actor, action: 'training.start', target: version, details: { trainingRunId: run.id, preset: request.preset } });
  catalog.trainingRuns.markRunning(run.id);
  const modelDir = modelDirectoryFor(paths, version);
  let lastStored = 0;
  const handle = startTrainingWorker(
    { ...jobFields(request), cacheDir: paths.backboneCacheDir },
    modelDir,
    {
      onProgress: (event) => {
        listeners.onProgress?.(event);
        const now = Date.now();
        if (now - lastStored > 1000 || event.step === event.steps) {
          lastStored = now;
          catalog.trainingRuns.reportProgress(run.id, { phase: event.phase, epoch: event.epoch, epochs: event.epochs, step: event.step, steps: event.steps, etaSeconds: event.etaSeconds }, event.losses);
        }
      },
      ...(listeners.onLog ? { onLog: listeners.onLog } : {}),
    },
  );
  listeners.signal?.addEventListener('abort', () => handle.cancel(), { once: true });
  const heartbeat = setInterval(() => catalog.trainingRuns.heartbeat(run.id), TRAINING_HEARTBEAT_MS);
  heartbeat.unref();
  try {
    const done = await handle.result;
    const model = await registerModel(catalog, version, done.modelDir, done.fileHashes, run.id);
    catalog.trainingRuns.finish(run.id, 'succeeded', { modelVersionId: model.id });
    catalog.audit.record({ userId: request.userId ?? null, actor: request.actor, action: 'training.finish', target: version, details: { trainingRunId: run.id, seconds: done.seconds } });
    return { model, trainingRunId: run.id, seconds: done.seconds, perPhaseSeconds: done.perPhaseSeconds };
  } catch (error) {
    const cancelled = error instanceof TrainingCancelledError;
    catalog.trainingRuns.finish(run.id, cancelled ? 'cancelled' : 'failed', { error: error instanceof Error ? error.message : String(error) });
    catalog.audit.record({ userId: request.userId ?? null, actor: request.actor, action: cancelled ? 'training.cancel' : 'training.fail', target: version, details: { trainingRunId: run.id } });
    throw error;
  } finally {
    clearInterval(heartbeat);
  }
}
