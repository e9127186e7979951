import type { TrainingStatus } from '../../../shared/api/apiRecords';
import type { TrainingProgressEventMessage } from '../../../shared/training';
import type { User } from '../../../shared/catalogTypes';
import type { Catalog } from '../../catalog/catalog';
import { DomainError } from '../../domainError';
import type { LtadConfig, LtadPreset } from '../../engine/ltad/ltadConfig';
import type { StationPaths } from '../../stationPaths';
import { trainForStation } from '../training/stationTraining';

/** Loss history kept for the live chart: enough points for a smooth line, bounded memory. */
const MAX_LOSS_POINTS = 400;

const IDLE: TrainingStatus = { runId: null, state: 'idle', phase: null, epoch: 0, epochs: 0, step: 0, steps: 0, etaSeconds: null, losses: [], modelVersion: null, error: null, startedAt: null };

/**
 * Retraining from the station's own catalogue: every product's good training images, one run at a
 * time, progress pushed to the UI, cancellable. The new model is a candidate until promoted.
 */
export class TrainingService {
  private status: TrainingStatus = IDLE;
  private abort: AbortController | null = null;

  constructor(
    private readonly catalog: Catalog,
    private readonly paths: StationPaths,
    private readonly publish: (status: TrainingStatus) => void,
    /** Tests and the CI smoke run shrink the presets (epochs, widths). */
    private readonly overrides: Partial<Omit<LtadConfig, 'layerChannels'>> = {},
  ) {}

  current(): TrainingStatus {
    return this.status;
  }

  start(supervisor: User, preset: LtadPreset, targetFalseRejectRate: number): TrainingStatus {
    if (this.abort) throw new DomainError('conflict', 'A training run is in progress already: cancel it or wait for it to finish');
    const classes = this.catalog.classes
      .listWithCounts()
      .filter((c) => c.goodTrainImages > 0)
      .map((c) => ({ name: c.name, trainFiles: this.catalog.samples.list(c.id, { split: 'train', label: 'good' }).map((s) => s.path) }));
    if (classes.length === 0) throw new DomainError('conflict', 'No product has good images yet: import some first');
    const tooFew = classes.filter((c) => c.trainFiles.length < 2);
    if (tooFew.length > 0) throw new DomainError('conflict', `Each product needs at least 2 good images (${tooFew.map((c) => c.name).join(', ')} has fewer)`);

    const abort = new AbortController();
    this.abort = abort;
    this.update({ ...IDLE, state: 'running', startedAt: new Date().toISOString() });
    void trainForStation(
      this.catalog,
      this.paths,
      { classes, foundation: { kind: 'builtin', backbone: 'mobilenetv2' }, runtime: 'onnx', preset, seed: 0, targetFalseRejectRate, overrides: this.overrides, actor: supervisor.name, userId: supervisor.id },
      { onProgress: (event) => this.progress(event), signal: abort.signal },
    )
      .then((outcome) => this.update({ ...this.status, runId: outcome.trainingRunId, state: 'succeeded', modelVersion: outcome.model.version, etaSeconds: 0 }))
      .catch((error: unknown) => {
        const cancelled = abort.signal.aborted;
        this.update({ ...this.status, state: cancelled ? 'cancelled' : 'failed', error: cancelled ? null : error instanceof Error ? error.message : String(error), etaSeconds: null });
      })
      .finally(() => {
        this.abort = null;
      });
    return this.status;
  }

  cancel(supervisor: User): TrainingStatus {
    if (!this.abort) throw new DomainError('conflict', 'No training run is in progress');
    this.catalog.audit.record({ userId: supervisor.id, actor: supervisor.name, action: 'training.cancel-request' });
    this.abort.abort();
    return this.status;
  }

  private progress(event: TrainingProgressEventMessage): void {
    const losses = [...this.status.losses, event.losses].slice(-MAX_LOSS_POINTS);
    const runId = this.status.runId ?? this.catalog.trainingRuns.list(1)[0]?.id ?? null;
    this.update({ ...this.status, runId, phase: event.phase, epoch: event.epoch, epochs: event.epochs, step: event.step, steps: event.steps, etaSeconds: event.etaSeconds, losses });
  }

  private update(status: TrainingStatus): void {
    this.status = status;
    this.publish(status);
  }

  async close(): Promise<void> {
    this.abort?.abort();
  }
}
