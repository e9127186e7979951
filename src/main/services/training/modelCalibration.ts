import type { InputFrame } from '../../engine/features/inputFrame';
import { imageTokens, tokenDim, type TokenMaps } from '../../engine/features/tokenMaps';
import { calibrationLambda, LAMBDA_SAMPLE_IMAGES } from '../../engine/calibration/calibrationLambda';
import type { HoldOutSplit } from '../../engine/calibration/productHoldOut';
import { POSITION_STATS_IMAGES, type ProductPositionStats, productPositionStats } from '../../engine/calibration/productPositionStats';
import { productPrototypes } from '../../engine/calibration/productPrototypes';
import { productThreshold } from '../../engine/calibration/productThreshold';
import type { LtadModel } from '../../engine/ltad/ltadModel';
import type { TokenScoreTerms } from '../../engine/ltad/ltadScoring';
import { normalisedScores, type PositionStats } from '../../engine/ltad/positionNormalisation';
import { pooledEmbedding } from '../../engine/scoring/classPrototypes';
import { tokenScoresToMap } from '../../engine/scoring/mapPostprocess';
import type { TokenRowFile } from '../../engineAdapters/tokenRowFile';
import type { TokenFeatureSource } from '../inspection/tokenFeatureSource';
import { calibrateSemanticWeight } from './semanticWeightCalibration';
import { chunksOf, overChunks, type RowChunk, type RowRange, type StoredFeatures } from './trainingFeatureStore';

/** What calibration reads: the job's stored features, their open files, and which images they were. */
export interface CalibrationFeatures {
  source: TokenFeatureSource;
  stored: StoredFeatures;
  fit: TokenRowFile;
  heldOut: TokenRowFile | undefined;
  splits: readonly (HoldOutSplit & { name: string })[];
  /** The job's scratch folder (painted held-out views for the semantic weight go there). */
  scratch: string;
}

export interface CalibrationOptions {
  seed: number;
  targetFalseRejectRate: number;
  /** Throws TrainingCancelledError once the run is cancelled; called between products. */
  check: () => void;
  log: (line: string) => void;
}

/**
 * Per-token terms of each of `maps`' images, one record per image. `firstRow`: the training row of
 * the first, when they are training images (scored without their own memory entries).
 */
function perImageTerms(model: LtadModel, maps: TokenMaps, className: string, firstRow?: number): TokenScoreTerms[] {
  const ownRows = (i: number) => (firstRow === undefined ? undefined : [firstRow + i]);
  return Array.from({ length: maps.count }, (_, i) => model.scoreTerms(imageTokens(maps, i), 1, className, ownRows(i)));
}

/** One image's score from its terms, against `stats`, with the product's semantic weight. */
function scoreOfTerms(model: LtadModel, terms: TokenScoreTerms, className: string, stats: PositionStats, frame: InputFrame): number {
  const scores = normalisedScores(terms, stats, model.semanticWeightOf(className));
  return tokenScoresToMap(scores, model.meta.config.grid, model.meta.map, frame).imageScore;
}

/** Image scores of `maps`; `frames`: where each image lay in the input (TokenFeatureSource.frameOf). */
function imageScores(model: LtadModel, maps: TokenMaps, className: string, frames: readonly InputFrame[], firstRow?: number): number[] {
  if (frames.length !== maps.count) throw new Error(`${maps.count} token maps but ${frames.length} frames`);
  const ownRow = (i: number) => (firstRow === undefined ? undefined : firstRow + i);
  return Array.from(
    { length: maps.count },
    (_, i) => model.scoreImage(imageTokens(maps, i), className, frames[i] as InputFrame, ownRow(i)).imageScore,
  );
}

/** The frames of a chunk's images: `files` are the product's images in its range's row order. */
function chunkFrames(source: TokenFeatureSource, files: readonly string[], range: RowRange, chunk: RowChunk): InputFrame[] {
  return files.slice(chunk.firstRow - range.first, chunk.firstRow - range.first + chunk.count).map((f) => source.frameOf(f));
}

/**
 * Calibration of a freshly trained model on good images only, in the order each step needs the
 * last: lambda, position statistics, S_sem's weight, per-product thresholds, prototypes. Fills
 * them in `model.meta`. The policy is the engine's (engine/calibration); this reads the stored
 * features one product and one chunk at a time. Training images are scored against a memory
 * without their own tokens (memoryReconstruction.ts).
 */
export async function calibrateModel(model: LtadModel, features: CalibrationFeatures, options: CalibrationOptions): Promise<void> {
  const { source, stored, splits } = features;
  const { meta } = model;
  const { grid, ablation } = meta.config;
  const positions = grid * grid;
  const dim = tokenDim({ layerChannels: stored.layerChannels });
  const fitChunks = (c: number, limit?: number) => chunksOf(features.fit, stored.fitRanges[c], stored.layerChannels, grid, limit);
  const heldOutChunks = (c: number) => chunksOf(features.heldOut, stored.heldOutRanges[c], stored.layerChannels, grid);

  const sampleTerms = meta.classNames.map((name, c) => {
    const m = fitChunks(c, LAMBDA_SAMPLE_IMAGES).next().value as RowChunk;
    return model.scoreTerms(
      m.data,
      m.count,
      name,
      Array.from({ length: m.count }, (_, i) => m.firstRow + i),
    );
  });
  meta.lambda = calibrationLambda(ablation, sampleTerms);
  // Held-out images are scored once: for the statistics, and against them for the thresholds.
  const heldOutTerms = meta.classNames.map((name, c) => overChunks(heldOutChunks(c), (m) => perImageTerms(model, m, name)));
  const productStats = meta.classNames.map((name, c) => {
    options.check();
    return productPositionStats(
      heldOutTerms[c] as TokenScoreTerms[],
      () => overChunks(fitChunks(c, POSITION_STATS_IMAGES), (m) => perImageTerms(model, m, name, m.firstRow)),
      positions,
    );
  });
  meta.positionStats = Object.fromEntries(meta.classNames.map((name, c) => [name, (productStats[c] as ProductPositionStats).stats]));
  meta.positionStatsFrom = Object.fromEntries(meta.classNames.map((name, c) => [name, (productStats[c] as ProductPositionStats).from]));

  if (ablation !== 'no-semantic' && stored.heldOut) {
    const heldOut = { info: stored.heldOut, ranges: stored.heldOutRanges, files: splits.map((s) => s.heldOut) };
    const statsFor = (c: number, heldOutIndex: number) => (productStats[c] as ProductPositionStats).forHeldOut(heldOutIndex);
    const choice = await calibrateSemanticWeight(model, source, heldOut, statsFor, features.scratch, options.seed + 202, options.check);
    if (choice) {
      meta.semanticWeight = choice.pooled;
      meta.semanticWeights = choice.perProduct;
      const perProduct = Object.entries(choice.perProduct)
        .map(([name, c]) => `${name} ${c.weight}`)
        .join(', ');
      options.log(
        `semantic weight per product: ${perProduct} (pooled ${choice.pooled.weight} on ${choice.pooled.views} painted held-out views)`,
      );
    }
  }

  for (const [c, split] of splits.entries()) {
    options.check();
    const fitRange = stored.fitRanges[c] as RowRange;
    const stats = productStats[c] as ProductPositionStats;
    const heldOutScores = (heldOutTerms[c] as TokenScoreTerms[]).map((terms, i) =>
      scoreOfTerms(model, terms, split.name, stats.forHeldOut(i), source.frameOf(split.heldOut[i] as string)),
    );
    const trainingScores = () =>
      overChunks(fitChunks(c), (m) => imageScores(model, m, split.name, chunkFrames(source, split.fit, fitRange, m), m.firstRow));
    meta.calibration[split.name] = productThreshold(heldOutScores, trainingScores, options.targetFalseRejectRate);
  }

  const embeddings = (m: TokenMaps) =>
    Array.from({ length: m.count }, (_, i) => pooledEmbedding(model.standardised(imageTokens(m, i)), positions, dim));
  const pooled = meta.classNames.map((_, c) => overChunks(fitChunks(c), embeddings));
  meta.prototypes = productPrototypes(meta.classNames, pooled, dim);
}
