import type { FeatureRuntimeId } from '../../shared/backbones';
import { resolveFoundationPack, type FoundationSource } from '../engine/foundationPack/foundationSource';
import { computeNormalisation, standardise } from '../engine/features/featureNormalisation';
import { imageTokens, tokenDim, type TokenMaps } from '../engine/features/tokenMaps';
import { LTAD_PRESETS, type LtadAblation, type LtadConfig, type LtadPreset } from '../engine/ltad/ltadConfig';
import { LTAD_MODEL_FORMAT, LtadModel, type ClassCalibrationRecord, type LtadModelMeta } from '../engine/ltad/ltadModel';
import { LtadNetwork } from '../engine/ltad/ltadNetwork';
import { balanceLambda, type TokenScoreTerms } from '../engine/ltad/ltadScoring';
import { fitPositionStats } from '../engine/ltad/positionNormalisation';
import { trainLtad, type TrainingControl } from '../engine/ltad/ltadTrainer';
import { buildPrototypes, pooledEmbedding } from '../engine/scoring/classPrototypes';
import { thresholdForFalseRejectRate } from '../engine/scoring/thresholds';
import { seededRandom, seededShuffle } from '../engine/seededRandom';
import { initTfjs } from '../engine/tfjsRuntime';
import { TokenFeatureSource } from './tokenFeatureSource';

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

/** Splits a class's good images into training and held-out (for its threshold), seeded. */
export function holdOut(files: readonly string[], fraction: number, seed: number): { fit: string[]; heldOut: string[] } {
  const count = files.length >= MIN_IMAGES_FOR_HOLD_OUT ? Math.max(1, Math.floor(files.length * fraction)) : 0;
  const shuffled = seededShuffle([...files].sort(), seededRandom(seed));
  return { fit: shuffled.slice(count).sort(), heldOut: shuffled.slice(0, count).sort() };
}

/** Per-token terms of up to POSITION_STATS_IMAGES images of one class, one record per image. */
const POSITION_STATS_IMAGES = 64;
function perImageTerms(model: LtadModel, maps: TokenMaps, className: string): TokenScoreTerms[] {
  return Array.from({ length: Math.min(maps.count, POSITION_STATS_IMAGES) }, (_, i) => model.scoreTerms(imageTokens(maps, i), 1, className));
}

function imageScores(model: LtadModel, maps: TokenMaps, className: string): number[] {
  return Array.from({ length: maps.count }, (_, i) => model.scoreImage(imageTokens(maps, i), className).imageScore);
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
  try {
    const source = new TokenFeatureSource(extractor, base.grid);
    const splits = request.classes.map((c, i) => ({ name: c.name, ...holdOut(c.trainFiles, request.heldOutFraction ?? 0.15, request.seed + i) }));
    const fitMaps: TokenMaps[] = [];
    for (const split of splits) {
      log(`features: ${split.name} (${split.fit.length} training + ${split.heldOut.length} held-out images)`);
      fitMaps.push(await source.tokensOf(split.fit));
    }
    const layerChannels = (fitMaps[0] as TokenMaps).layerChannels;
    const dim = tokenDim({ layerChannels });
    const positions = base.grid * base.grid;
    const total = fitMaps.reduce((sum, m) => sum + m.count, 0);
    const all = new Float32Array(total * positions * dim);
    const classIndex = new Int32Array(total);
    let row = 0;
    fitMaps.forEach((m, c) => {
      all.set(m.data, row * positions * dim);
      classIndex.fill(c, row, row + m.count);
      row += m.count;
    });
    const normalisation = computeNormalisation(all, total * positions, dim);
    const config: LtadConfig = { ...base, layerChannels };
    const network = new LtadNetwork(config, splits.length, pack.createTextTower());
    const outcome = await trainLtad(network, { tokens: standardise(all, normalisation), count: total, classIndex }, control);

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
        backend: `${tfjs.detail}; features ${extractor.runtimeDetail}`,
        seconds: 0,
        perPhaseSeconds: outcome.phaseSeconds,
        nTrainPerClass: Object.fromEntries(splits.map((s) => [s.name, s.fit.length])),
        nHeldOutPerClass: Object.fromEntries(splits.map((s) => [s.name, s.heldOut.length])),
      },
    };
    const model = new LtadModel(provisional, network);
    const sampleTerms = fitMaps.map((m, c) => {
      const n = Math.min(m.count, 16);
      return model.scoreTerms(m.data.subarray(0, n * positions * dim), n, classNames[c] as string);
    });
    provisional.lambda = config.ablation === 'no-semantic' ? 0 : balanceLambda(sampleTerms);
    provisional.positionStats = Object.fromEntries(fitMaps.map((m, c) => [classNames[c] as string, fitPositionStats(perImageTerms(model, m, classNames[c] as string), positions)]));
    const target = request.targetFalseRejectRate ?? 0.02;
    for (const [c, split] of splits.entries()) {
      // A 2% quantile of a handful of held-out scores is just their maximum, an underestimate of
      // the real quantile: below MIN_HELD_OUT_FOR_QUANTILE images, pool them with the (optimistic)
      // training scores and add a margin instead.
      const heldOutScores = split.heldOut.length > 0 ? imageScores(model, await source.tokensOf(split.heldOut), split.name) : [];
      const fromHeldOut = heldOutScores.length >= MIN_HELD_OUT_FOR_QUANTILE;
      const goodScores = fromHeldOut ? heldOutScores : [...heldOutScores, ...imageScores(model, fitMaps[c] as TokenMaps, split.name)];
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
      fitMaps.map((m) => Array.from({ length: m.count }, (_, i) => pooledEmbedding(model.standardised(imageTokens(m, i)), positions, dim))),
    );
    provisional.prototypes = { vectors: [...prototypes.vectors], dim, minSimilarity: prototypes.minSimilarity };
    const seconds = (performance.now() - started) / 1000;
    provisional.training.seconds = seconds;
    return { model, seconds, perPhaseSeconds: outcome.phaseSeconds };
  } finally {
    await extractor.dispose();
  }
}
