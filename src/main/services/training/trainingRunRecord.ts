import type { ModelVersion } from '../../../shared/catalogTypes';
import type { TrainingProgressEventMessage } from '../../../shared/training';
import type { Catalog } from '../../catalog/catalog';
import { TrainingCancelledError } from '../../engine/ltad/trainingCancelledError';
import type { StationPaths } from '../../stationPaths';
import type { TrainingJobRequest } from './ltadTrainingJob';
import { modelDirectoryFor, newModelVersionName, registerModel } from './modelRegistry';
import type { TrainingWorkerOutcome } from './trainingWorkerClient';

/** A training process says it is alive this often; a run silent for the stale time is failed. */
export const TRAINING_HEARTBEAT_MS = 30_000;
export const TRAINING_HEARTBEAT_STALE_MS = 5 * 60_000;

/** Progress is stored at most this often (and at the end of each epoch): the UI gets every event live. */
const PROGRESS_STORE_MS = 1000;

/** Who asked for a training run, for the audit log. */
export interface TrainingRequester {
  actor: string;
  userId?: number | null;
}

/**
 * One training run in the catalogue, from its row, created before the worker starts (so its id is
 * known from the start), to its end: progress, heartbeats, the audit log, and the trained model
 * registered as a candidate version.
 */
export class TrainingRunRecord {
  private lastStored = 0;
  private readonly heartbeat: NodeJS.Timeout;

  private constructor(
    private readonly catalog: Catalog,
    private readonly requester: TrainingRequester,
    readonly id: number,
    readonly version: string,
    /** Where the worker writes the model. */
    readonly modelDir: string,
  ) {
    this.heartbeat = setInterval(() => catalog.trainingRuns.heartbeat(id), TRAINING_HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** Creates the run's row (running, owned by this process) and audits the start. */
  static begin(
    catalog: Catalog,
    paths: StationPaths,
    job: Omit<TrainingJobRequest, 'cacheDir'>,
    requester: TrainingRequester,
  ): TrainingRunRecord {
    const version = newModelVersionName();
    const userId = requester.userId ?? null;
    const classes = job.classes.map((c) => ({ name: c.name, images: c.trainFiles.length }));
    const config = {
      version,
      preset: job.preset,
      ablation: job.ablation ?? 'none',
      seed: job.seed,
      foundation: job.foundation,
      classes,
      overrides: job.overrides ?? {},
    };
    const run = catalog.trainingRuns.create(config, userId);
    catalog.audit.record({
      userId,
      actor: requester.actor,
      action: 'training.start',
      target: version,
      details: { trainingRunId: run.id, preset: job.preset },
    });
    catalog.trainingRuns.markRunning(run.id);
    return new TrainingRunRecord(catalog, requester, run.id, version, modelDirectoryFor(paths, version));
  }

  recordProgress(event: TrainingProgressEventMessage): void {
    const now = Date.now();
    if (now - this.lastStored <= PROGRESS_STORE_MS && event.step !== event.steps) return;
    this.lastStored = now;
    const { phase, epoch, epochs, step, steps, runStep, runSteps, etaSeconds } = event;
    this.catalog.trainingRuns.reportProgress(this.id, { phase, epoch, epochs, step, steps, runStep, runSteps, etaSeconds }, event.losses);
  }

  /** Registers the trained model as a candidate and closes the run as succeeded. */
  succeed(outcome: TrainingWorkerOutcome): ModelVersion {
    clearInterval(this.heartbeat);
    const model = registerModel(this.catalog, this.version, outcome.model, this.id);
    this.catalog.trainingRuns.finish(this.id, 'succeeded', { modelVersionId: model.id });
    this.audit('training.finish', { trainingRunId: this.id, seconds: outcome.seconds });
    return model;
  }

  /** Closes the run as cancelled (a TrainingCancelledError) or failed, with the error's message. */
  fail(error: unknown): void {
    clearInterval(this.heartbeat);
    const cancelled = error instanceof TrainingCancelledError;
    this.catalog.trainingRuns.finish(this.id, cancelled ? 'cancelled' : 'failed', {
      error: error instanceof Error ? error.message : String(error),
    });
    this.audit(cancelled ? 'training.cancel' : 'training.fail', { trainingRunId: this.id });
  }

  private audit(action: string, details: Record<string, unknown>): void {
    this.catalog.audit.record({
      userId: this.requester.userId ?? null,
      actor: this.requester.actor,
      action,
      target: this.version,
      details,
    });
  }
}
