import type { InspectionResult } from '../../../shared/api/apiRecords';
import type { SampleSource } from '../../../shared/catalogTypes';
import type { Catalog } from '../../catalog/catalog';
import { DomainError } from '../../domainError';
import { processOnnxExecution } from '../../engineAdapters/onnxExecution';
import type { StationPaths } from '../../stationPaths';
import { Inspector } from '../inspection/inspector';
import { storeInspectionImage } from '../inspection/fileStore';
import { toInspectionResult } from './inspectionRecords';
import { QueueFullError, SerialQueue } from './serialQueue';

/** Inspections running or waiting, from every source (API, hot folder); more are answered "busy". */
export const MAX_QUEUED_INSPECTIONS = 8;

export interface InspectionContext {
  station: string;
  operatorId: number | null;
  source: SampleSource;
}

/**
 * Inspects images with the active model, one at a time. An image that decodes is stored under the
 * station's images folder (the record points there, not at a camera buffer or a hot-folder file
 * that will move); one that does not is refused under the user's file name and stores nothing.
 */
export class InspectionService {
  private inspector: Inspector | null = null;
  private readonly queue = new SerialQueue(MAX_QUEUED_INSPECTIONS);

  constructor(
    private readonly catalog: Catalog,
    private readonly paths: StationPaths,
  ) {}

  /** The backbone runtime of the loaded model (the process's onnxruntime provider until one is loaded). */
  featureRuntime(): string {
    return this.inspector?.featureRuntime ?? processOnnxExecution.detail();
  }

  /** Products the active model can inspect. */
  activeProducts(): Set<string> {
    const active = this.catalog.models.active();
    if (!active) return new Set();
    return new Set(
      this.catalog.models
        .calibration(active.id)
        .map((c) => this.catalog.classes.get(c.classId)?.name)
        .filter((n): n is string => !!n),
    );
  }

  inspectBytes(bytes: Buffer, fileName: string, product: string, context: InspectionContext): Promise<InspectionResult> {
    return this.queued(async () => {
      const inspector = await this.currentInspector(product);
      const outcome = await inspector.inspectBytes(bytes, product, { ...context, fileName }, fileName, () =>
        storeInspectionImage(this.paths, fileName, bytes),
      );
      return toInspectionResult(this.catalog, outcome.record);
    });
  }

  private queued<T>(task: () => Promise<T>): Promise<T> {
    return this.queue.run(task).catch((error: unknown) => {
      throw error instanceof QueueFullError ? new DomainError('busy', error.message) : error;
    });
  }

  /** The inspector for the active model, reopened when another version has been promoted. */
  private async currentInspector(product: string): Promise<Inspector> {
    const active = this.catalog.models.active();
    if (!active) throw new DomainError('no-model', 'No model is active yet: a supervisor must train one and promote it (Retrain screen)');
    if (this.inspector?.row.id !== active.id || this.inspector.row.promotedAt !== active.promotedAt) {
      await this.inspector?.dispose();
      this.inspector = null;
      this.inspector = await Inspector.open(this.catalog, this.paths, { version: active.version });
    }
    if (!this.inspector.model.meta.classNames.includes(product)) {
      throw new DomainError(
        'no-model',
        `The active model ${active.version} was not trained on "${product}": retrain with this product's good images first`,
      );
    }
    return this.inspector;
  }

  /** Another model became active: load it before the next inspection (thresholds need no reload: they are read per inspection). */
  invalidate(): Promise<void> {
    return this.queue.run(async () => {
      await this.inspector?.dispose();
      this.inspector = null;
    }, false);
  }

  async close(): Promise<void> {
    await this.invalidate();
  }
}
