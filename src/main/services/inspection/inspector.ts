import { createHash } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { FeatureRuntimeId } from '../../../shared/backbones';
import type { Inspection, ModelVersion, SampleSource } from '../../../shared/catalogTypes';
import type { InspectionVerdict } from '../../../shared/inspectionVerdict';
import { normaliseScore, type ScoreScale, scoreScaleOf } from '../../../shared/normalisedScore';
import { DomainError } from '../../domainError';
import type { Catalog } from '../../catalog/catalog';
import { inputFitOf } from '../../engine/ltad/ltadConfig';
import { openImageEncoder } from '../../engineAdapters/resolveFoundationPack';
import type { FeatureExtractor } from '../../engine/backbone/featureExtractor';
import type { LtadModel } from '../../engine/ltad/ltadModel';
import { judgeInspection, type InspectionJudgement } from '../../engine/inspection/inspectionJudgement';
import { openLtadHeads, type LtadHeads } from '../../engineAdapters/ltadHeadsSession';
import type { ScoreMap } from '../../engine/scoring/anomalyMap';
import { writeOverlayJpeg, writeScoreMapPng } from '../../reports/anomalyOverlay';
import { readImageFile, type RgbImage } from '../../ingest/imageDecoder';
import type { StationPaths } from '../../stationPaths';
import { loadModelVersion } from './modelVersionLoader';
import { storeInspectionImage } from './fileStore';
import { decodeForInspection, type DecodedInspectionImage, type HeadsRunner, scoreImages, type ScoredImage } from './imageScoring';

export interface InspectionOutcome extends InspectionVerdict {
  inspectionId: number;
  /** Null when the disk was full and no images were kept. */
  mapPath: string | null;
  overlayPath: string | null;
  latencyMs: number;
  /** The catalogue row as recorded (the service answers with it, without reading it back). */
  record: Inspection;
  /** Where the time went (npm run bench:inspect): decoding, backbone + heads + map, the image files, the catalogue row. */
  stageMs: { decode: number; featuresHeadsMap: number; files: number; record: number };
}

/** No space left (or over quota): the images cannot be kept, the result still can. */
function isDiskFull(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT' || /no space left|ENOSPC/i.test(error instanceof Error ? error.message : '');
}

/** One image to inspect: its bytes, the product, who and where, its name for errors, and where to store it. */
export interface InspectionRequest {
  bytes: Buffer;
  product: string;
  context: InspectionRequestContext;
  displayName: string;
  store: () => string;
}

interface PreparedInspection extends InspectionRequest, DecodedInspectionImage {
  classId: number;
  threshold: number;
  /** The product's score scale as it stands now (null where unknown). */
  scale: ScoreScale | null;
}

/** A batch after the backbone and heads, before judging, files and rows (Inspector.scoreRequests). */
export interface ScoredBatch {
  prepared: PromiseSettledResult<PreparedInspection>[];
  /** One per decoded request, in order. */
  scored: ScoredImage[];
  /** Per image: its share of the batch's decoding and of its backbone and heads passes. */
  shared: { decode: number; featuresHeadsMap: number };
}

export interface InspectionRequestContext {
  station: string;
  operatorId?: number | null;
  source: SampleSource;
  fileName?: string;
}

/** Inspects images with one model version and records each result in the catalogue. */
export class Inspector {
  private constructor(
    private readonly catalog: Catalog,
    private readonly paths: StationPaths,
    readonly row: ModelVersion,
    readonly model: LtadModel,
    private readonly extractor: FeatureExtractor,
    /** The heads on onnxruntime; absent for models they do not cover, which score on tfjs. */
    private readonly heads: LtadHeads | undefined,
  ) {}

  /**
   * `openEncoder` opens the model's image encoder (tests pass a stand-in; the default runs the real
   * backbone); the heads run on onnxruntime unless `heads` says tfjs.
   */
  static async open(
    catalog: Catalog,
    paths: StationPaths,
    options: { version?: string; runtime?: FeatureRuntimeId; openEncoder?: typeof openImageEncoder; heads?: 'onnx' | 'tfjs' } = {},
  ): Promise<Inspector> {
    const { row, model } = await loadModelVersion(catalog, options.version);
    const extractor = await (options.openEncoder ?? openImageEncoder)(
      model.meta.foundation,
      options.runtime ?? 'onnx',
      paths.backboneCacheDir,
    );
    // tfjs stays available as the reference: `heads: 'tfjs'` scores there even where onnxruntime could.
    return new Inspector(catalog, paths, row, model, extractor, options.heads === 'tfjs' ? undefined : openLtadHeads(model));
  }

  /**
   * Inspects a file; a copy goes under the station's images folder, which the record points at (the UI
   * can show it, the original may move).
   */
  async inspect(file: string, product: string, context: InspectionRequestContext): Promise<InspectionOutcome> {
    const bytes = await readImageFile(file);
    const outcome = await this.inspectBytes(bytes, product, { ...context, fileName: context.fileName ?? path.basename(file) }, file, () =>
      storeInspectionImage(this.paths, path.basename(file), bytes),
    );
    return { ...outcome, file };
  }

  /**
   * Inspects encoded bytes. They are decoded first, with `displayName` (the user's name for the
   * image) in any error; only an image that decodes is stored (`store` returns where) and recorded.
   */
  async inspectBytes(
    bytes: Buffer,
    product: string,
    context: InspectionRequestContext,
    displayName: string,
    store: () => string,
  ): Promise<InspectionOutcome> {
    const [outcome] = await this.inspectBatch([{ bytes, product, context, displayName, store }]);
    if (!outcome) throw new Error('The inspection of one image gave no result');
    if (outcome.status === 'rejected') throw outcome.reason;
    return outcome.value;
  }

  /**
   * Inspects several images at once: each is checked and decoded on its own (a bad one is refused
   * alone), then all go through the backbone as one batch and through each product's heads as one
   * batch, and each is judged, stored and recorded on its own. Results come back in the given order.
   */
  async inspectBatch(requests: readonly InspectionRequest[]): Promise<PromiseSettledResult<InspectionOutcome>[]> {
    return this.finishBatch(await this.scoreRequests(requests));
  }

  /**
   * The first half of a batch: decode, backbone and heads (the part that holds the runtimes). The
   * station's queue starts the next batch's scoring while this one is finished (finishBatch).
   */
  async scoreRequests(requests: readonly InspectionRequest[]): Promise<ScoredBatch> {
    const started = performance.now();
    const prepared = await Promise.allSettled(requests.map((r) => this.prepare(r)));
    const decoded = prepared.flatMap((p) => (p.status === 'fulfilled' ? [p.value] : []));
    const decodedAt = performance.now();
    const scored = decoded.length > 0 ? await this.scoreBatch(decoded) : [];
    const share = (ms: number) => ms / Math.max(decoded.length, 1);
    return { prepared, scored, shared: { decode: share(decodedAt - started), featuresHeadsMap: share(performance.now() - decodedAt) } };
  }

  /** The second half: each image judged and its files written side by side, then the rows recorded in arrival order. */
  async finishBatch({ prepared, scored, shared }: ScoredBatch): Promise<PromiseSettledResult<InspectionOutcome>[]> {
    let next = 0;
    const written = await Promise.all(
      prepared.map((p) => {
        if (p.status === 'rejected') return p;
        return this.judgeAndWrite(p.value, scored[next++] as ScoredImage, shared).then(
          (value) => ({ status: 'fulfilled' as const, value }),
          (reason: unknown) => ({ status: 'rejected' as const, reason }),
        );
      }),
    );
    return written.map((w) => {
      if (w.status === 'rejected') return w;
      try {
        return { status: 'fulfilled', value: w.value() };
      } catch (reason) {
        return { status: 'rejected', reason };
      }
    });
  }

  /** Checks the product and its threshold in force, decodes the image once and makes the backbone's input from it. */
  private async prepare(request: InspectionRequest): Promise<PreparedInspection> {
    const { product, bytes, displayName } = request;
    const productRow = this.catalog.classes.getByName(product);
    if (!productRow) throw new DomainError('not-found', `Unknown product "${product}"`);
    // The catalogue holds the threshold in force: a supervisor's change applies here at once, with nothing reloaded.
    const inForce =
      this.model.meta.calibration[product] && this.catalog.models.calibration(this.row.id).find((c) => c.classId === productRow.id);
    if (!inForce) throw new DomainError('no-model', `Model ${this.row.version} was not trained on product "${product}"`);
    const decoded = await decodeForInspection(bytes, displayName, this.extractor.inputSize, inputFitOf(this.model.meta.config));
    const scale = scoreScaleOf(inForce.threshold, this.model.meta.calibration[product]?.goodScores ?? []);
    return { ...request, classId: productRow.id, threshold: inForce.threshold, scale, ...decoded };
  }

  private scoreBatch(items: readonly PreparedInspection[]): Promise<ScoredImage[]> {
    const heads = this.heads;
    const runHeads: HeadsRunner = heads
      ? (batch, count, product) => heads.score(batch, count, product)
      : (batch, count, product) => Promise.resolve(this.model.referenceHeads(batch, count, product));
    return scoreImages(this.extractor, this.model.meta.config.grid, runHeads, items);
  }

  /** Judges one scored image and writes its files; the function it gives records it. */
  private async judgeAndWrite(
    item: PreparedInspection,
    { tokenScores, pooled }: ScoredImage,
    shared: { decode: number; featuresHeadsMap: number },
  ): Promise<() => InspectionOutcome> {
    const { store, view, threshold } = item;
    const started = performance.now();
    const { map, imageScore, verdict, regions, prototypeCheck } = this.judge(item, { tokenScores, pooled });
    const judged = performance.now();
    const featuresHeadsMap = shared.featuresHeadsMap + (judged - started);
    const latencyMs = shared.decode + featuresHeadsMap;

    const files = await this.writeFiles(view, map, threshold, store);
    const written = performance.now();
    return () =>
      this.record(item, { map, imageScore, verdict, regions, prototypeCheck }, files, {
        latencyMs,
        stageMs: { decode: shared.decode, featuresHeadsMap, files: written - judged },
      });
  }

  /** The station's judgement of one scored image at the product's threshold in force. */
  private judge(item: PreparedInspection, { tokenScores, pooled }: Pick<ScoredImage, 'tokenScores' | 'pooled'>): InspectionJudgement {
    const { product, input, threshold } = item;
    return judgeInspection({
      tokenScores,
      grid: this.model.meta.config.grid,
      map: this.model.meta.map,
      frame: input.frame,
      threshold,
      product,
      prototypes: this.model.prototypes(),
      pooled,
      sourceSize: { width: input.sourceWidth, height: input.sourceHeight },
    });
  }

  /**
   * Judges images exactly as an inspection would (one decode, the same heads, the threshold in
   * force) and keeps nothing: no file, no row. For validating a model on labelled images.
   */
  async judgeOnly(
    images: readonly { bytes: Buffer; product: string; displayName: string }[],
  ): Promise<PromiseSettledResult<InspectionJudgement>[]> {
    const requests = images.map((i) => ({
      ...i,
      context: { station: 'validation', source: 'import' as const },
      store: () => {
        throw new Error('Validation stores nothing');
      },
    }));
    const { prepared, scored } = await this.scoreRequests(requests);
    let next = 0;
    return prepared.map((p) => {
      if (p.status === 'rejected') return p;
      return { status: 'fulfilled', value: this.judge(p.value, scored[next++] as ScoredImage) };
    });
  }

  /** The catalogue row of one judged, stored inspection, and the outcome it answers with. */
  private record(
    item: PreparedInspection,
    judgement: InspectionJudgement,
    files: { stored: string | null; mapPath: string | null; overlayPath: string | null; diskFull: boolean },
    timing: { latencyMs: number; stageMs: Omit<InspectionOutcome['stageMs'], 'record'> },
  ): InspectionOutcome {
    const { bytes, product, context, displayName, threshold, scale } = item;
    const { imageScore, verdict, regions, prototypeCheck } = judgement;
    const { latencyMs } = timing;
    const recording = performance.now();
    const record = this.catalog.inspections.record({
      at: new Date().toISOString(),
      station: context.station,
      operatorId: context.operatorId ?? null,
      classId: item.classId,
      imagePath: files.stored ? path.resolve(files.stored) : '',
      imageSha256: createHash('sha256').update(bytes).digest('hex'),
      score: imageScore,
      threshold,
      verdict,
      modelVersionId: this.row.id,
      anomalyMapPath: files.mapPath,
      overlayPath: files.overlayPath,
      imagesRemoved: files.diskFull ? 'disk-full' : null,
      fileName: context.fileName ?? displayName,
      nearestClass: prototypeCheck.nearestClass,
      latencyMs,
      source: context.source,
      classWarning: prototypeCheck.warning,
      regions,
      scoreSpread: scale?.spread ?? null,
    });
    return {
      inspectionId: record.id,
      record,
      file: files.stored ?? displayName,
      product,
      modelVersion: this.row.version,
      score: imageScore,
      threshold,
      normalisedScore: scale ? normaliseScore(imageScore, scale) : null,
      verdict,
      regions,
      mapPath: files.mapPath,
      overlayPath: files.overlayPath,
      classWarning: prototypeCheck.warning,
      nearestProduct: prototypeCheck.nearestClass,
      latencyMs,
      stageMs: { ...timing.stageMs, record: performance.now() - recording },
    };
  }

  /**
   * Stores the image and writes its score map and overlay. A full disk does not lose the verdict:
   * whatever was written is removed and the inspection is recorded without images.
   */
  private async writeFiles(
    view: RgbImage,
    map: ScoreMap,
    threshold: number,
    store: () => string,
  ): Promise<{ stored: string | null; mapPath: string | null; overlayPath: string | null; diskFull: boolean }> {
    const written: string[] = [];
    try {
      const stored = store();
      written.push(stored);
      const day = new Date().toISOString().slice(0, 10);
      const dir = path.join(this.paths.home, 'inspections', day);
      mkdirSync(dir, { recursive: true });
      const stem = path.parse(stored).name.replace(/[^\w.-]+/g, '_'); // unique already, with the writer's pid
      const mapPath = path.join(dir, `${stem}-map.png`);
      const overlayPath = path.join(dir, `${stem}-overlay.jpg`);
      written.push(mapPath, overlayPath);
      // Both encode on sharp's threads at once; both settle before a failure is handled, so nothing is still being written.
      const settled = await Promise.allSettled([
        writeScoreMapPng(mapPath, map, threshold),
        writeOverlayJpeg(overlayPath, view, map, threshold),
      ]);
      for (const s of settled) if (s.status === 'rejected') throw s.reason;
      return { stored, mapPath, overlayPath, diskFull: false };
    } catch (error) {
      if (!isDiskFull(error)) throw error;
      for (const f of written) rmSync(f, { force: true });
      return { stored: null, mapPath: null, overlayPath: null, diskFull: true };
    }
  }

  /** The backbone runtime in use, e.g. "onnxruntime-node 1.30.0 cpu". */
  get featureRuntime(): string {
    return this.extractor.runtimeDetail;
  }

  /** Where the LTAD heads run, e.g. "onnxruntime-node 1.30.0 cpu, 2 threads" (tfjs for models the graph does not cover). */
  get headsRuntime(): string {
    return this.heads?.runtimeDetail ?? 'tfjs';
  }

  async dispose(): Promise<void> {
    await this.heads?.dispose();
    await this.extractor.dispose();
    this.model.dispose();
  }
}
