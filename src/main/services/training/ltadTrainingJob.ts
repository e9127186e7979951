import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FeatureRuntimeId } from '../../../shared/backbones';
import type { FoundationSource } from '../../engine/ltad/foundationSource';
import { resolveFoundationPack } from '../../engineAdapters/resolveFoundationPack';
import { TokenRowFile } from '../../engineAdapters/tokenRowFile';
import type { InputFrame } from '../../engine/features/inputFrame';
import { imageTokens, tokenDim, type TokenMaps } from '../../engine/features/tokenMaps';
import { inputFitOf, LTAD_PRESETS, type LtadAblation, type LtadConfig, type LtadPreset } from '../../engine/ltad/ltadConfig';
import { LTAD_MODEL_FORMAT, LtadModel, type ClassCalibrationRecord, type LtadModelMeta } from '../../engine/ltad/ltadModel';
import { LtadNetwork } from '../../engine/ltad/ltadNetwork';
import { balanceLambda, type TokenScoreTerms } from '../../engine/ltad/ltadScoring';
import { fitPositionStats } from '../../engine/ltad/positionNormalisation';
import { trainLtad, type TrainingControl } from '../../engine/ltad/ltadTrainer';
import { TrainingCancelledError } from '../../engine/ltad/trainingCancelledError';
import type { StepWorkers } from '../../engine/ltad/stepWorkers';
import type { TrainingRows, TrainingRowsSource } from '../../engine/ltad/trainingRows';
import { openTrainingRows } from '../../engineAdapters/openTrainingRows';
import { kernelMode } from '../../engine/tensorKernels/kernelMode';
import { buildPrototypes, pooledEmbedding } from '../../engine/scoring/classPrototypes';
import { thresholdForFalseRejectRate } from '../../engine/scoring/thresholds';
import { productSeed, seededRandom, seededShuffle } from '../../engine/seededRandom';
import { productMemorySeeds } from '../../engine/ltad/normalMemory';
import { initTfjs } from '../../engine/tfjsRuntime';
import { storeDefectViews } from './defectViewStore';
import { calibrateSemanticWeight } from './semanticWeightCalibration';
import { startStepWorkers } from './ltadStepWorkerPool';
import { chunksOf, overChunks, removeAbandonedScratch, SCRATCH_PREFIX, storeFeatures, type RowChunk, type RowRange } from './trainingFeatureStore';
import { TokenFeatureSource } from '../inspection/tokenFeatureSource';

export interface TrainingJobRequest {
  classes: { name: string; trainFiles: string[] }[];
  /** Pretrained parts: a built-in backbone (default taps) or a foundation pack folder. */
  foundation: FoundationSource;
  runtime: FeatureRuntimeId;
  preset: LtadPreset;
  ablation?: LtadAblation;
  seed: number;
  /** Overrides of the preset (tests use tiny epochs). */
  overrides?: Partial<Omit<LtadConfig, 'layerChannels'>>;
  /** Share of each class's good images held out for its threshold (classes with few images keep all). */
  heldOutFraction?: number;
  targetFalseRejectRate?: number;
  cacheDir: string;
  /** Threads to train on (default: every core); the extra ones are helper worker threads. */
  threads?: number;
}

export interface TrainingJobResult {
  model: LtadModel;
  seconds: number;
  perPhaseSeconds: Record<string, number>;
}

const MIN_IMAGES_FOR_HOLD_OUT = 6;
const TRAINING_THRESHOLD_MARGIN = 0.1;
/** Fewer held-out good images than this cannot estimate a false-reject quantile on their own. */
const MIN_HELD_OUT_FOR_QUANTILE = 10;

/** The share of each product's good images held out for its threshold and calibration. */
export const HELD_OUT_FRACTION = 0.15;

/** holdOut with the product's own seed (productSeed): its split stays the same when products are added. */
export function productHoldOut(name: string, files: readonly string[], fraction: number, seed: number): { fit: string[]; heldOut: string[] } {
  return holdOut(files, fraction, productSeed(seed, name));
}

/** Splits a class's good images into training and held-out (for its threshold), seeded. */
export function holdOut(files: readonly string[], fraction: number, seed: number): { fit: string[]; heldOut: string[] } {
  const count = files.length >= MIN_IMAGES_FOR_HOLD_OUT ? Math.max(1, Math.floor(files.length * fraction)) : 0;
  const shuffled = seededShuffle([...files].sort(), seededRandom(seed));
  return { fit: shuffled.slice(count).sort(), heldOut: shuffled.slice(0, count).sort() };
}

/**
 * Per-token terms of up to POSITION_STATS_IMAGES images of one class, one record per image.
 * `firstRow` is the training row of the first map when they are training images.
 */
const POSITION_STATS_IMAGES = 64;
function perImageTerms(model: LtadModel, maps: TokenMaps, className: string, firstRow?: number): TokenScoreTerms[] {
  return Array.from({ length: maps.count }, (_, i) => model.scoreTerms(imageTokens(maps, i), 1, className, firstRow === undefined ? undefined : [firstRow + i]));
}

/** `frames`: where each map's image lay in the input (TokenFeatureSource.frameOf). */
function imageScores(model: LtadModel, maps: TokenMaps, className: string, frames: readonly InputFrame[], firstRow?: number): number[] {
  if (frames.length !== maps.count) throw new Error(`${maps.count} token maps but ${frames.length} frames`);
  return Array.from({ length: maps.count }, (_, i) => model.scoreImage(imageTokens(maps, i), className, frames[i] as InputFrame, firstRow === undefined ? undefined : firstRow + i).imageScore);
}

/** The frames of a chunk's images: `files` are the class's images in its range's row order. */
function chunkFrames(source: TokenFeatureSource, files: readonly string[], range: RowRange, chunk: RowChunk): InputFrame[] {
  return files.slice(chunk.firstRow - range.first, chunk.firstRow - range.first + chunk.count).map((f) => source.frameOf(f));
}

/**
 * The whole training of one LTAD model: backbone features (computed once), long-tail-aware
 * two-phase training, then calibration on good images only: lambda, per-class thresholds and
 * class prototypes. Runs wherever it is called; the station calls it inside a worker thread.
 */
export async function runTrainingJob(request: TrainingJobRequest, control: TrainingControl = {}, log: (line: string) => void = () => {}): Promise<TrainingJobResult> {
  const started = performance.now();
  const tfjs = await initTfjs();
  if (request.classes.length === 0) throw new Error('Nothing to train: no product classes');
  const empty = request.classes.filter((c) => c.trainFiles.length === 0).map((c) => c.name);
  if (empty.length > 0) throw new Error(`These products have no good images to train on: ${empty.join(', ')}`);
  const base = { ...LTAD_PRESETS[request.preset], ...request.overrides, seed: request.seed, ablation: request.ablation ?? 'none' };
  const pack = resolveFoundationPack(request.foundation, base.textTower);
  const extractor = await pack.createImageEncoder({ cacheDir: request.cacheDir, runtime: request.runtime });
  mkdirSync(request.cacheDir, { recursive: true });
  removeAbandonedScratch(request.cacheDir);
  const scratch = mkdtempSync(path.join(request.cacheDir, `${SCRATCH_PREFIX}${process.pid}-`));
  let helpers: StepWorkers | undefined;
  let rows: TrainingRows | undefined;
  const files: TokenRowFile[] = [];
  try {
    const source = new TokenFeatureSource(extractor, base.grid, { fit: inputFitOf(base) });
    const splits = request.classes.map((c) => ({ name: c.name, ...productHoldOut(c.name, c.trainFiles, request.heldOutFraction ?? HELD_OUT_FRACTION, request.seed) }));
    const check = () => {
      if (control.shouldCancel?.()) throw new TrainingCancelledError();
    };
    const stored = await storeFeatures(source, splits, base.grid, scratch, log, check);
    const { layerChannels, normalisation } = stored;
    const fit = new TokenRowFile(stored.fit);
    const heldOut = stored.heldOut ? new TokenRowFile(stored.heldOut) : undefined;
    files.push(fit, ...(heldOut ? [heldOut] : []));
    const dim = tokenDim({ layerChannels });
    const positions = base.grid * base.grid;
    const config: LtadConfig = { ...base, layerChannels };
    const network = new LtadNetwork(config, splits.length, pack.createTextTower());
    const views = config.defectViewProbability > 0 ? await storeDefectViews(source, splits.map((s) => s.fit), stored.fitRanges, scratch, request.seed + 101, check) : undefined;
    if (views) log(`defect views: ${views.classIndex.length} painted training images`);
    const rowsSource: TrainingRowsSource = { kind: 'file', file: stored.fit, classIndex: stored.fitClassIndex, mean: normalisation.mean, std: normalisation.std, ...(views ? { views } : {}) };
    rows = openTrainingRows(rowsSource);
    const threads = Math.max(1, request.threads ?? os.availableParallelism());
    if (threads > 1) {
      log(`training on ${threads} threads`);
      helpers = await startStepWorkers(threads - 1, { config, classCount: splits.length, foundation: request.foundation, rows: rowsSource, kernelMode: kernelMode(), lowPriority: true });
    }
    const productSeeds = productMemorySeeds(config.seed, splits.map((s) => s.name));
    const outcome = await trainLtad(network, rows, control, { productSeeds, ...(helpers ? { workers: helpers } : {}) });
    await helpers?.close();
    helpers = undefined;
    // Calibration reads the stored maps of one class a chunk at a time.
    // Training images are scored against a memory without their own tokens (memoryReconstruction.ts).
    const fitChunks = (c: number, limit?: number) => chunksOf(fit, stored.fitRanges[c], layerChannels, base.grid, limit);
    const heldOutChunks = (c: number) => chunksOf(heldOut, stored.heldOutRanges[c], layerChannels, base.grid);

    // Calibration, on good images only.
    const classNames = splits.map((s) => s.name);
    const provisional: LtadModelMeta = {
      format: LTAD_MODEL_FORMAT,
      backbone: extractor.backbone,
      foundation: request.foundation.kind === 'builtin' ? { ...request.foundation, taps: [...extractor.taps] } : request.foundation,
      taps: [...extractor.taps],
      config,
      classNames,
      normalisation: { mean: [...normalisation.mean], std: [...normalisation.std] },
      lambda: 0,
      map: { size: 224, blurSigma: 4, scoreWindow: 16 },
      calibration: {},
      prototypes: { vectors: [], dim, minSimilarity: [] },
      textTower: config.ablation === 'direct-classifier' ? 'none (direct per-class classifier vectors)' : network.text.description,
      training: {
        backend: `${tfjs.detail}, ${threads} training thread${threads === 1 ? '' : 's'}; features ${extractor.runtimeDetail}`,
        seconds: 0,
        perPhaseSeconds: outcome.phaseSeconds,
        nTrainPerClass: Object.fromEntries(splits.map((s) => [s.name, s.fit.length])),
        nHeldOutPerClass: Object.fromEntries(splits.map((s) => [s.name, s.heldOut.length])),
      },
    };
    const model = new LtadModel(provisional, network);
    const sampleTerms = classNames.map((name, c) => {
      const m = fitChunks(c, 16).next().value as RowChunk;
      return model.scoreTerms(m.data, m.count, name, Array.from({ length: m.count }, (_, i) => m.firstRow + i));
    });
    provisional.lambda = config.ablation === 'no-semantic' ? 0 : balanceLambda(sampleTerms);
    provisional.positionStats = Object.fromEntries(classNames.map((name, c) => [name, fitPositionStats(overChunks(fitChunks(c, POSITION_STATS_IMAGES), (m) => perImageTerms(model, m, name, m.firstRow)), positions)]));
    if (config.ablation !== 'no-semantic' && stored.heldOut) {
      const choice = await calibrateSemanticWeight(model, source, { info: stored.heldOut, ranges: stored.heldOutRanges, files: splits.map((s) => s.heldOut) }, scratch, request.seed + 202, check);
      if (choice) {
        provisional.semanticWeight = choice.pooled;
        provisional.semanticWeights = choice.perProduct;
        log(`semantic weight per product: ${Object.entries(choice.perProduct).map(([name, c]) => `${name} ${c.weight}`).join(', ')} (pooled ${choice.pooled.weight} on ${choice.pooled.views} painted held-out views)`);
      }
    }
    const target = request.targetFalseRejectRate ?? 0.02;
    for (const [c, split] of splits.entries()) {
      check();
      // A 2% quantile of a handful of held-out scores is just their maximum, an underestimate of
      // the real quantile: below MIN_HELD_OUT_FOR_QUANTILE images, pool them with the (optimistic)
      // training scores and add a margin instead.
      const heldOutScores = overChunks(heldOutChunks(c), (m) => imageScores(model, m, split.name, chunkFrames(source, split.heldOut, stored.heldOutRanges[c] as RowRange, m)));
      const fromHeldOut = heldOutScores.length >= MIN_HELD_OUT_FOR_QUANTILE;
      const goodScores = fromHeldOut ? heldOutScores : [...heldOutScores, ...overChunks(fitChunks(c), (m) => imageScores(model, m, split.name, chunkFrames(source, split.fit, stored.fitRanges[c] as RowRange, m), m.firstRow))];
      const calibration: ClassCalibrationRecord = {
        threshold: thresholdForFalseRejectRate(goodScores, fromHeldOut ? target : 0, fromHeldOut ? 0 : TRAINING_THRESHOLD_MARGIN),
        targetFalseRejectRate: target,
        thresholdSource: fromHeldOut ? 'held-out' : 'training',
        goodScores,
      };
      provisional.calibration[split.name] = calibration;
    }
    const prototypes = buildPrototypes(
      classNames,
      classNames.map((_, c) => overChunks(fitChunks(c), (m) => Array.from({ length: m.count }, (_, i) => pooledEmbedding(model.standardised(imageTokens(m, i)), positions, dim)))),
    );
    provisional.prototypes = { vectors: [...prototypes.vectors], dim, minSimilarity: prototypes.minSimilarity };
    const seconds = (performance.now() - started) / 1000;
    provisional.training.seconds = seconds;
    return { model, seconds, perPhaseSeconds: outcome.phaseSeconds };
  } finally {
    await helpers?.close();
    rows?.close();
    for (const f of files) f.close();
    rmSync(scratch, { recursive: true, force: true });
    await extractor.dispose();
  }
}
