import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FeatureRuntimeId } from '../../../shared/backbones';
import type { FeatureExtractor } from '../../engine/backbone/featureExtractor';
import { DEFAULT_TARGET_FALSE_REJECT_RATE } from '../../engine/calibration/productThreshold';
import { HELD_OUT_FRACTION, productHoldOut, type HoldOutSplit } from '../../engine/calibration/productHoldOut';
import { tokenDim } from '../../engine/features/tokenMaps';
import type { FoundationSource } from '../../engine/ltad/foundationSource';
import { inputFitOf, LTAD_PRESETS, type LtadAblation, type LtadConfig, type LtadPreset } from '../../engine/ltad/ltadConfig';
import { LTAD_MODEL_FORMAT, LtadModel, type LtadModelMeta } from '../../engine/ltad/ltadModel';
import { TRAINED_SEMANTIC_SCALE } from '../../engine/ltad/ltadScoring';
import { LtadNetwork } from '../../engine/ltad/ltadNetwork';
import { productMemorySeeds } from '../../engine/ltad/normalMemory';
import { phase2Compilable } from '../../engine/ltad/phase2TrainingGraph';
import type { StepWorkers } from '../../engine/ltad/stepWorkers';
import { trainLtad, type TrainingControl } from '../../engine/ltad/ltadTrainer';
import { TrainingCancelledError } from '../../engine/ltad/trainingCancelledError';
import type { TrainingRows, TrainingRowsSource } from '../../engine/ltad/trainingRows';
import { kernelMode } from '../../engine/tensorKernels/kernelMode';
import { initTfjs } from '../../engine/tfjsRuntime';
import { onnxStepCompiler } from '../../engineAdapters/onnxStepCompiler';
import { openTrainingRows } from '../../engineAdapters/openTrainingRows';
import { resolveFoundationPack } from '../../engineAdapters/resolveFoundationPack';
import { TokenRowFile } from '../../engineAdapters/tokenRowFile';
import { TokenFeatureSource } from '../inspection/tokenFeatureSource';
import { storeDefectViews } from './defectViewStore';
import { startStepWorkers } from './ltadStepWorkerPool';
import { calibrateModel } from './modelCalibration';
import { removeAbandonedScratch, SCRATCH_PREFIX, storeFeatures, type StoredFeatures } from './trainingFeatureStore';

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
  /**
   * Train on compiled onnxruntime graphs where a phase has one (default), or on tfjs op by op
   * (false; the reference path, for comparison).
   */
  compiledSteps?: boolean;
}

export interface TrainingJobResult {
  model: LtadModel;
  seconds: number;
  perPhaseSeconds: Record<string, number>;
}

/** What the job knows once the network is trained, before calibration. */
interface TrainedParts {
  request: TrainingJobRequest;
  extractor: FeatureExtractor;
  config: LtadConfig;
  stored: StoredFeatures;
  splits: readonly ({ name: string } & HoldOutSplit)[];
  textTower: string;
  /** Where training ran: the tfjs backend, the threads, the backbone runtime. */
  backend: string;
  perPhaseSeconds: Record<string, number>;
}

/**
 * The model's meta before calibration: what training decided (config, products, normalisation,
 * where it ran); lambda, thresholds and prototypes are filled in by calibrateModel.
 */
function uncalibratedMeta(trained: TrainedParts): LtadModelMeta {
  const { request, extractor, config, stored, splits } = trained;
  const { normalisation } = stored;
  return {
    format: LTAD_MODEL_FORMAT,
    backbone: extractor.backbone,
    foundation: request.foundation.kind === 'builtin' ? { ...request.foundation, taps: [...extractor.taps] } : request.foundation,
    taps: [...extractor.taps],
    config,
    classNames: splits.map((s) => s.name),
    normalisation: { mean: [...normalisation.mean], std: [...normalisation.std] },
    lambda: 0,
    semanticScale: TRAINED_SEMANTIC_SCALE,
    map: { size: 224, blurSigma: 4, scoreWindow: 16 },
    calibration: {},
    prototypes: { vectors: [], dim: tokenDim({ layerChannels: stored.layerChannels }), minSimilarity: [] },
    textTower: config.ablation === 'direct-classifier' ? 'none (direct per-class classifier vectors)' : trained.textTower,
    training: {
      backend: trained.backend,
      seconds: 0,
      perPhaseSeconds: trained.perPhaseSeconds,
      nTrainPerClass: Object.fromEntries(splits.map((s) => [s.name, s.fit.length])),
      nHeldOutPerClass: Object.fromEntries(splits.map((s) => [s.name, s.heldOut.length])),
    },
  };
}

/**
 * The whole training of one LTAD model: backbone features (computed once), long-tail-aware
 * two-phase training, then calibration on good images only (modelCalibration.ts). Runs wherever
 * it is called; the station calls it inside a worker thread (trainingWorker.ts).
 */
export async function runTrainingJob(
  request: TrainingJobRequest,
  control: TrainingControl = {},
  log: (line: string) => void = () => {},
): Promise<TrainingJobResult> {
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
    const splits = request.classes.map((c) => ({
      name: c.name,
      ...productHoldOut(c.name, c.trainFiles, request.heldOutFraction ?? HELD_OUT_FRACTION, request.seed),
    }));
    const check = () => {
      if (control.shouldCancel?.()) throw new TrainingCancelledError();
    };
    const stored = await storeFeatures(source, splits, base.grid, scratch, log, check);
    const fit = new TokenRowFile(stored.fit);
    const heldOut = stored.heldOut ? new TokenRowFile(stored.heldOut) : undefined;
    files.push(fit, ...(heldOut ? [heldOut] : []));
    const config: LtadConfig = { ...base, layerChannels: stored.layerChannels };
    const network = new LtadNetwork(config, splits.length, pack.createTextTower());
    const views =
      config.defectViewProbability > 0
        ? await storeDefectViews(
            source,
            splits.map((s) => s.fit),
            stored.fitRanges,
            scratch,
            request.seed + 101,
            check,
          )
        : undefined;
    if (views) log(`defect views: ${views.classIndex.length} painted training images`);
    const rowsSource: TrainingRowsSource = {
      kind: 'file',
      file: stored.fit,
      classIndex: stored.fitClassIndex,
      mean: stored.normalisation.mean,
      std: stored.normalisation.std,
      ...(views ? { views } : {}),
    };
    rows = openTrainingRows(rowsSource);
    const threads = Math.max(1, request.threads ?? os.availableParallelism());
    // Compiled steps use every core themselves; tfjs helper threads are needed only for a phase
    // that has no compiled graph (phase 2 of a trainable memory).
    const compiler = request.compiledSteps === false ? undefined : await onnxStepCompiler(threads);
    if (compiler) log(`training steps on ${compiler.detail}`);
    if (threads > 1 && !(compiler && phase2Compilable(config))) {
      log(`training on ${threads} tfjs threads`);
      helpers = await startStepWorkers(threads - 1, {
        config,
        classCount: splits.length,
        foundation: request.foundation,
        rows: rowsSource,
        kernelMode: kernelMode(),
        lowPriority: true,
      });
    }
    const productSeeds = productMemorySeeds(
      config.seed,
      splits.map((s) => s.name),
    );
    const outcome = await trainLtad(network, rows, control, {
      productSeeds,
      ...(helpers ? { workers: helpers } : {}),
      ...(compiler ? { compiler } : {}),
    });
    await helpers?.close();
    helpers = undefined;

    const onTfjs = `${tfjs.detail}, ${threads} training thread${threads === 1 ? '' : 's'}`;
    const onGraphs = compiler ? `steps on ${compiler.detail}, prepared on ${tfjs.detail}` : undefined;
    // A trainable memory's phase 2 has no graph: it trained on tfjs threads.
    const steps = !onGraphs ? onTfjs : phase2Compilable(config) ? onGraphs : `phase 1 ${onGraphs}; phase 2 on ${onTfjs}`;
    const backend = `${steps}; features ${extractor.runtimeDetail}`;
    const meta = uncalibratedMeta({
      request,
      extractor,
      config,
      stored,
      splits,
      textTower: network.text.description,
      backend,
      perPhaseSeconds: outcome.phaseSeconds,
    });
    const model = new LtadModel(meta, network);
    await calibrateModel(
      model,
      { source, stored, fit, heldOut, splits, scratch },
      { seed: request.seed, targetFalseRejectRate: request.targetFalseRejectRate ?? DEFAULT_TARGET_FALSE_REJECT_RATE, check, log },
    );
    const seconds = (performance.now() - started) / 1000;
    model.meta.training.seconds = seconds;
    return { model, seconds, perPhaseSeconds: outcome.phaseSeconds };
  } finally {
    await helpers?.close();
    rows?.close();
    for (const f of files) f.close();
    rmSync(scratch, { recursive: true, force: true });
    await extractor.dispose();
  }
}
