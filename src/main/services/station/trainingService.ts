import type { TrainingStatus } from '../../../shared/api/apiRecords';
import type { TrainingProgressEventMessage } from '../../../shared/training';
import type { TrainingRun, User } from '../../../shared/catalogTypes';
import type { Catalog } from '../../catalog/catalog';
import { DomainError } from '../../domainError';
import type { LtadConfig, LtadPreset } from '../../engine/ltad/ltadConfig';
import type { StationPaths } from '../../stationPaths';
import type { TrainingJobRequest } from '../training/ltadTrainingJob';
import { TrainingRunRecord } from '../training/trainingRunRecord';
import { startTrainingWorker, type TrainingWorkerStarter } from '../training/trainingWorkerClient';
import { appendLossPoint, recordedLossPoints } from './lossHistory';

/** The status before any training, and the base of a new run's. */
export const IDLE_TRAINING_STATUS: TrainingStatus = {
  runId: null,
  state: 'idle',
  phase: null,
  epoch: 0,
  epochs: 0,
  step: 0,
  steps: 0,
  runStep: 0,
  runSteps: 0,
  etaSeconds: null,
  losses: [],
  modelVersion: null,
  error: null,
  startedAt: null,
};

/**
 * The status of a run that is not this process's: how it ended, with its progress and losses as
 * recorded. A run still marked running belongs to another live process and is shown as idle here.
 */
export function statusOfFinishedRun(catalog: Catalog, run: TrainingRun): TrainingStatus {
  if (run.status === 'queued' || run.status === 'running') return IDLE_TRAINING_STATUS;
  const progress = run.progress;
  return {
    runId: run.id,
    state: run.status,
    phase: progress?.phase ?? null,
    epoch: progress?.epoch ?? 0,
    epochs: progress?.epochs ?? 0,
    step: progress?.step ?? 0,
    steps: progress?.steps ?? 0,
    runStep: progress?.runStep ?? progress?.step ?? 0,
    runSteps: progress?.runSteps ?? progress?.steps ?? 0,
    etaSeconds: null,
    losses: recordedLossPoints(run.losses),
    modelVersion: run.modelVersionId === null ? null : (catalog.models.get(run.modelVersionId)?.version ?? null),
    error: run.error,
    startedAt: run.startedAt,
  };
}

export interface TrainingServiceOptions {
  /** Tests and the CI smoke run shrink the presets (epochs, widths). */
  overrides?: Partial<Omit<LtadConfig, 'layerChannels'>>;
  /** Starts the job off this thread: the training worker, or a fake in tests. */
  startWorker?: TrainingWorkerStarter;
}

/** The run in progress: how to stop it, and whether someone asked to (a run that ends then was cancelled). */
interface ActiveRun {
  cancel(): void;
  cancelRequested: boolean;
}

/**
 * Retraining from the station's own catalogue: every product's good training images, one run at a
 * time, progress pushed to the UI, cancellable. The new model is a candidate until promoted.
 */
export class TrainingService {
  private status: TrainingStatus = IDLE_TRAINING_STATUS;
  private active: ActiveRun | null = null;
  private readonly overrides: Partial<Omit<LtadConfig, 'layerChannels'>>;
  private readonly startWorker: TrainingWorkerStarter;

  constructor(
    private readonly catalog: Catalog,
    private readonly paths: StationPaths,
    private readonly publish: (status: TrainingStatus) => void,
    options: TrainingServiceOptions = {},
  ) {
    this.overrides = options.overrides ?? {};
    this.startWorker = options.startWorker ?? startTrainingWorker;
    // After a restart the Retrain screen shows how the last run ended (an interrupted run included), not "idle".
    const last = catalog.trainingRuns.list(1)[0];
    if (last) this.status = statusOfFinishedRun(catalog, last);
  }

  current(): TrainingStatus {
    return this.status;
  }

  start(supervisor: User, preset: LtadPreset, targetFalseRejectRate: number): TrainingStatus {
    if (this.active) throw new DomainError('conflict', 'A training run is in progress already: cancel it or wait for it to finish');
    // The images were hashed when they were imported: the catalogue's paths are all training needs.
    const classes = this.catalog.classes
      .listWithCounts()
      .filter((c) => c.goodTrainImages > 0)
      .map((c) => ({ name: c.name, trainFiles: this.catalog.samples.list(c.id, { split: 'train', label: 'good' }).map((s) => s.path) }));
    if (classes.length === 0) throw new DomainError('conflict', 'No product has good images yet: import some first');
    const tooFew = classes.filter((c) => c.trainFiles.length < 2);
    if (tooFew.length > 0)
      throw new DomainError('conflict', `Each product needs at least 2 good images (${tooFew.map((c) => c.name).join(', ')} has fewer)`);

    const foundation = { kind: 'builtin', backbone: 'mobilenetv2' } as const;
    const job: Omit<TrainingJobRequest, 'cacheDir'> = {
      classes,
      foundation,
      runtime: 'onnx',
      preset,
      seed: 0,
      targetFalseRejectRate,
      overrides: this.overrides,
    };
    const run = TrainingRunRecord.begin(this.catalog, this.paths, job, { actor: supervisor.name, userId: supervisor.id });
    const active: ActiveRun = { cancel: () => {}, cancelRequested: false };
    this.active = active;
    this.update({ ...IDLE_TRAINING_STATUS, runId: run.id, state: 'running', startedAt: new Date().toISOString() });
    void this.follow(run, job, active).finally(() => {
      this.active = null;
    });
    return this.status;
  }

  cancel(supervisor: User): TrainingStatus {
    if (!this.active) throw new DomainError('conflict', 'No training run is in progress');
    this.catalog.audit.record({ userId: supervisor.id, actor: supervisor.name, action: 'training.cancel-request' });
    this.requestCancel();
    return this.status;
  }

  async close(): Promise<void> {
    this.requestCancel();
  }

  /** Runs the job in the training worker (started before the first await, so it can be cancelled at once) and records how it ended. */
  private async follow(run: TrainingRunRecord, job: Omit<TrainingJobRequest, 'cacheDir'>, active: ActiveRun): Promise<void> {
    try {
      const handle = this.startWorker({ ...job, cacheDir: this.paths.backboneCacheDir }, run.modelDir, {
        onProgress: (event) => {
          this.progress(event);
          run.recordProgress(event);
        },
      });
      active.cancel = () => handle.cancel();
      const model = run.succeed(await handle.result);
      this.update({ ...this.status, state: 'succeeded', modelVersion: model.version, etaSeconds: 0 });
    } catch (error) {
      run.fail(error);
      const cancelled = active.cancelRequested;
      const message = error instanceof Error ? error.message : String(error);
      this.update({ ...this.status, state: cancelled ? 'cancelled' : 'failed', error: cancelled ? null : message, etaSeconds: null });
    }
  }

  private requestCancel(): void {
    if (!this.active) return;
    this.active.cancelRequested = true;
    this.active.cancel();
  }

  private progress(event: TrainingProgressEventMessage): void {
    const losses = appendLossPoint(this.status.losses, { phase: event.phase, step: event.runStep, values: event.losses });
    this.update({
      ...this.status,
      phase: event.phase,
      epoch: event.epoch,
      epochs: event.epochs,
      step: event.step,
      steps: event.steps,
      runStep: event.runStep,
      runSteps: event.runSteps,
      etaSeconds: event.etaSeconds,
      losses,
    });
  }

  private update(status: TrainingStatus): void {
    this.status = status;
    this.publish(status);
  }
}
