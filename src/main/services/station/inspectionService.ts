import type { InspectionResult } from '../../../shared/api/apiRecords';
import type { SampleSource } from '../../../shared/catalogTypes';
import type { Catalog } from '../../catalog/catalog';
import { DomainError } from '../../domainError';
import { processOnnxExecution } from '../../engineAdapters/onnxExecution';
import type { StationPaths } from '../../stationPaths';
import { Inspector, type ScoredBatch } from '../inspection/inspector';
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

interface WaitingInspection {
  bytes: Buffer;
  fileName: string;
  product: string;
  context: InspectionContext;
  /** Taken into a batch (by its own turn or an earlier request's). */
  started: boolean;
  result: Promise<InspectionResult>;
  resolve(value: InspectionResult): void;
  reject(reason: unknown): void;
}

/** A promise with its settle functions; its rejection is handled where it is awaited. */
function settlement<T>(): { result: Promise<T>; resolve(value: T): void; reject(reason: unknown): void } {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const result = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  result.catch(() => undefined); // a request refused before its turn never awaits it
  return { result, resolve, reject };
}

/**
 * Inspects images with the active model, in batches of whatever waits (one model, one backend). An image that decodes is stored under the
 * station's images folder (the record points there, not at a camera buffer or a hot-folder file
 * that will move); one that does not is refused under the user's file name and stores nothing.
 */
export class InspectionService {
  private inspector: Inspector | null = null;
  /** Requests queued and not yet taken into a batch, in arrival order. */
  private readonly waiting: WaitingInspection[] = [];
  private readonly queue = new SerialQueue(MAX_QUEUED_INSPECTIONS);
  /** The batches being judged, written and recorded, one after another (never rejects). */
  private finishing: Promise<void> = Promise.resolve();

  constructor(
    private readonly catalog: Catalog,
    private readonly paths: StationPaths,
    /** Opens the inspector of a model version (tests pass a stand-in). */
    private readonly openInspector: (version: string) => Promise<Inspector> = (version) => Inspector.open(catalog, paths, { version }),
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

  /**
   * Inspects one image. Requests that wait while another is running go through together: when a
   * request's turn comes it takes every request still waiting behind it (up to the queue's bound)
   * into one batch (Inspector.inspectBatch), and those later requests find their results ready.
   */
  inspectBytes(bytes: Buffer, fileName: string, product: string, context: InspectionContext): Promise<InspectionResult> {
    const request: WaitingInspection = { bytes, fileName, product, context, started: false, ...settlement<InspectionResult>() };
    this.waiting.push(request);
    return this.queued(async () => {
      if (!request.started) await this.inspectWaiting();
    }).then(
      () => request.result,
      (error: unknown) => {
        // Refused as busy, it never started: it must not be taken into a later batch.
        const at = this.waiting.indexOf(request);
        if (at >= 0) this.waiting.splice(at, 1);
        throw error;
      },
    );
  }

  /** Every request still waiting, in arrival order, as one batch; each settles on its own. */
  private async inspectWaiting(): Promise<void> {
    const batch = this.waiting.splice(0, MAX_QUEUED_INSPECTIONS);
    for (const r of batch) r.started = true;
    // A request for a product the active model does not know is refused alone.
    const ready: { request: WaitingInspection; inspector: Inspector }[] = [];
    for (const request of batch) {
      try {
        ready.push({ request, inspector: await this.currentInspector(request.product) });
      } catch (error) {
        request.reject(error);
      }
    }
    const inspector = ready[0]?.inspector;
    if (!inspector) return;
    const rejectAll = (error: unknown) => {
      for (const { request } of ready) request.reject(error);
    };
    let scored: ScoredBatch;
    try {
      scored = await inspector.scoreRequests(
        ready.map(({ request: r }) => ({
          bytes: r.bytes,
          product: r.product,
          context: { ...r.context, fileName: r.fileName },
          displayName: r.fileName,
          store: () => storeInspectionImage(this.paths, r.fileName, r.bytes),
        })),
      );
    } catch (error) {
      rejectAll(error);
      return;
    }
    // Judging, files and rows go on outside the queue, after the batch before (rows stay in arrival
    // order), while the next batch is decoded and scored: the cores do both at once.
    this.finishing = this.finishing
      .then(() => inspector.finishBatch(scored))
      .then((outcomes) => {
        outcomes.forEach((o, i) => {
          const r = (ready[i] as { request: WaitingInspection }).request;
          if (o.status === 'fulfilled') r.resolve(toInspectionResult(this.catalog, o.value.record));
          else r.reject(o.reason);
        });
      })
      .catch(rejectAll);
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
      await this.finishing; // the batches scored with the old model still write with it
      await this.inspector?.dispose();
      this.inspector = null;
      this.inspector = await this.openInspector(active.version);
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
      await this.finishing;
      await this.inspector?.dispose();
      this.inspector = null;
    }, false);
  }

  async close(): Promise<void> {
    await this.invalidate();
  }
}
