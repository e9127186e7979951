import os from 'node:os';
import type { ClassEvaluation, EvaluationReport } from '../../../shared/evaluation';
import { imageTokens, type TokenMaps } from '../../engine/features/tokenMaps';
import { aupro, type ScoredMask } from '../../engine/metrics/aupro';
import { auroc } from '../../engine/metrics/auroc';
import { summariseClasses } from '../../engine/metrics/classSummary';
import { PixelAurocAccumulator } from '../../engine/metrics/pixelAuroc';
import type { TokenScorer } from '../../engine/peers/peerMethods';
import { tokenScoresToMap, type MapOptions } from '../../engine/scoring/mapPostprocess';
import { scanMvtecDataset, type DatasetClass } from '../../ingest/datasetLayout';
import { loadBinaryMask } from '../../ingest/maskLoader';
import type { InputFrame } from '../../engine/features/inputFrame';
import type { InspectionJudgement } from '../../engine/inspection/inspectionJudgement';
import type { TokenFeatureSource } from '../inspection/tokenFeatureSource';

/**
 * A scorer that also judges each image as the station does (engine/inspection/inspectionJudgement.ts):
 * evaluation then reports the verdicts at `threshold` besides the AUROCs.
 */
export interface JudgingScorer extends TokenScorer {
  threshold: number;
  judge(tokens: Float32Array, frame: InputFrame): Promise<InspectionJudgement>;
}

const judges = (scorer: TokenScorer): scorer is JudgingScorer => 'judge' in scorer;

export interface DatasetEvaluationOptions {
  dataDir: string;
  classes?: readonly string[];
  /** Training images per class in place of <class>/train/good (a long-tailed view of the data). */
  trainFiles?: Readonly<Record<string, readonly string[]>>;
  source: TokenFeatureSource;
  /** Prepares whatever the method needs before per-class fitting (one model for all classes: LTAD). */
  prepare?(classes: DatasetClass[]): Promise<void>;
  /** Returns the token scorer for one class, fitted on (or bound to) its training images. */
  scorerFor(className: string, train: TokenMaps): Promise<TokenScorer | JudgingScorer>;
  map: MapOptions;
  describe: { method: string; ablation: string | null; backbone: string; featureRuntime: string; backend: string };
  log?(line: string): void;
}

async function evaluateClass(
  data: DatasetClass,
  scorer: TokenScorer | JudgingScorer,
  source: TokenFeatureSource,
  map: MapOptions,
): Promise<Omit<ClassEvaluation, 'nTrain'> & { scoringMs: number }> {
  const test = await source.tokensOf(data.test.map((t) => t.file));
  const scores: number[] = [];
  const labels: boolean[] = [];
  const pixels = new PixelAurocAccumulator();
  const scored: ScoredMask[] = [];
  const failed: boolean[] = [];
  let scoringMs = 0;
  for (const [i, item] of data.test.entries()) {
    const started = performance.now();
    const tokens = imageTokens(test, i);
    const frame = source.frameOf(item.file);
    const judged = judges(scorer) ? await scorer.judge(tokens, frame) : undefined;
    const { map: anomalyMap, imageScore } = judged ?? tokenScoresToMap(await scorer.scoreTokens(tokens), test.grid, map, frame);
    scoringMs += performance.now() - started;
    scores.push(imageScore);
    labels.push(item.defectType !== 'good');
    if (judged) failed.push(judged.verdict === 'fail');
    const mask = item.maskFile ? await loadBinaryMask(item.maskFile, map.size, map.size) : null;
    if (item.defectType === 'good' || mask) {
      pixels.add(anomalyMap.data, mask);
      scored.push({ scores: anomalyMap.data, mask, width: map.size, height: map.size });
    }
  }
  const hasBoth = labels.some((l) => l) && labels.some((l) => !l);
  const pixelAuroc = pixels.result();
  return {
    nTestGood: labels.filter((l) => !l).length,
    nTestDefect: labels.filter((l) => l).length,
    imageAuroc: hasBoth ? auroc(scores, labels) : null,
    pixelAuroc,
    aupro: pixelAuroc === null ? null : aupro(scored),
    atThreshold: judges(scorer) ? verdictRates(scorer.threshold, labels, failed) : null,
    scoringMs,
  };
}

/** False rejects among the good parts and escapes among the defective ones (null where there are none). */
function verdictRates(
  threshold: number,
  defective: readonly boolean[],
  failed: readonly boolean[],
): NonNullable<ClassEvaluation['atThreshold']> {
  const rate = (of: boolean, outcome: boolean) => {
    const group = defective.flatMap((d, i) => (d === of ? [failed[i] === outcome] : []));
    return group.length === 0 ? null : group.filter(Boolean).length / group.length;
  };
  return { threshold, falseRejectRate: rate(false, true), escapeRate: rate(true, false) };
}

function withTrainFiles(classes: DatasetClass[], trainFiles: DatasetEvaluationOptions['trainFiles']): DatasetClass[] {
  if (!trainFiles) return classes;
  return classes.map((c) => {
    const files = trainFiles[c.name];
    if (!files) throw new Error(`No training images were given for ${c.name}`);
    return { ...c, trainGood: [...files] };
  });
}

/**
 * Fits (or binds) a method per class on <class>/train/good (or the given trainFiles) and evaluates it on <class>/test with
 * the ground-truth masks: image AUROC, pixel AUROC and AUPRO at map.size, per class and
 * Avg/High/Low (High/Low by training-set size over the classes that have tests).
 */
export async function evaluateDataset(options: DatasetEvaluationOptions): Promise<EvaluationReport> {
  const log = options.log ?? (() => {});
  const classes = withTrainFiles(scanMvtecDataset(options.dataDir, options.classes), options.trainFiles);
  if (classes.length === 0) throw new Error(`${options.dataDir} has no <class>/train/good folders`);
  let trainMs = 0;
  let scoringMs = 0;
  let testImages = 0;
  const extractBefore = { ms: options.source.extractMs, n: options.source.extractedImages };
  const trainStart = performance.now();
  await options.prepare?.(classes);
  trainMs += performance.now() - trainStart;
  const perClass: Record<string, ClassEvaluation> = {};
  for (const data of classes.filter((c) => c.test.length > 0)) {
    const fitStart = performance.now();
    const train = await options.source.tokensOf(data.trainGood);
    const scorer = await options.scorerFor(data.name, train);
    trainMs += performance.now() - fitStart;
    try {
      const { scoringMs: ms, ...result } = await evaluateClass(data, scorer, options.source, options.map);
      scoringMs += ms;
      testImages += data.test.length;
      perClass[data.name] = { nTrain: data.trainGood.length, ...result };
      log(`${data.name}: image AUROC ${result.imageAuroc?.toFixed(3) ?? 'n/a'}, pixel AUROC ${result.pixelAuroc?.toFixed(3) ?? 'n/a'}`);
    } finally {
      await scorer.dispose();
    }
  }
  const summary = summariseClasses(perClass);
  // Per-image time: this run's mean backbone cost per image plus the mean scoring + map cost.
  const extracted = options.source.extractedImages - extractBefore.n;
  const backboneMs = extracted > 0 ? (options.source.extractMs - extractBefore.ms) / extracted : options.source.msPerImage();
  return {
    ...options.describe,
    grid: options.source.grid,
    inputFit: options.source.fit,
    mapSize: options.map.size,
    perClass,
    avg: summary.avg,
    high: summary.high,
    low: summary.low,
    highClasses: summary.highClasses,
    lowClasses: summary.lowClasses,
    untestedClasses: classes.filter((c) => c.test.length === 0).map((c) => c.name),
    trainSeconds: trainMs / 1000,
    msPerImage: testImages > 0 ? backboneMs + scoringMs / testImages : 0,
    cores: os.availableParallelism(),
  };
}
