import type { BackboneId, FeatureRuntimeId } from '../../../shared/backbones';
import type { InputFit } from '../../../shared/inputFit';
import type { EvaluationReport } from '../../../shared/evaluation';
import { Catalog } from '../../catalog/catalog';
import { createFeatureExtractor } from '../../engineAdapters/createFeatureExtractor';
import { type LtadHeads, openLtadHeads } from '../../engineAdapters/ltadHeadsSession';
import { openImageEncoder } from '../../engineAdapters/resolveFoundationPack';
import { judgeInspection } from '../../engine/inspection/inspectionJudgement';
import type { LtadModel } from '../../engine/ltad/ltadModel';
import { fitPeer, type PeerMethod, type TokenScorer } from '../../engine/peers/peerMethods';
import { initTfjs } from '../../engine/tfjsRuntime';
import { stationPaths } from '../../stationPaths';
import { evaluateDataset, type JudgingScorer } from './datasetEvaluation';
import { loadModelVersion } from '../inspection/modelVersionLoader';
import { TokenFeatureSource } from '../inspection/tokenFeatureSource';
import { inputFitOf } from '../../engine/ltad/ltadConfig';

/** What to evaluate on a dataset: a peer fitted on its train/good, or a trained model version. */
export interface EvaluationRequest {
  data: string;
  classes?: string[];
  /** Training images per class in place of <class>/train/good: what the peer fits on, or what the model was trained on. */
  trainFiles?: Record<string, string[]>;
  backbone: BackboneId;
  runtime: FeatureRuntimeId;
  grid?: number;
  seed: number;
  home?: string;
}

/**
 * The peers' input fit unless told otherwise: letterbox, their better setting here (docs/method.md,
 * Token maps). A model is always evaluated with the fit it was trained with.
 */
export const PEER_INPUT_FIT: InputFit = 'letterbox';

/** The default token grid: the deepest tap's own size (14 for MobileNetV2, 17 for InceptionV3). */
export const DEFAULT_GRID: Record<BackboneId, number> = { mobilenetv2: 14, inceptionv3: 17 };

export async function runPeerEvaluation(
  options: EvaluationRequest & { method: PeerMethod; fit?: InputFit },
  log?: (line: string) => void,
): Promise<EvaluationReport> {
  const tfjs = await initTfjs();
  const extractor = await createFeatureExtractor({
    backbone: options.backbone,
    runtime: options.runtime,
    cacheDir: stationPaths(options.home).backboneCacheDir,
  });
  try {
    const source = new TokenFeatureSource(extractor, options.grid ?? DEFAULT_GRID[options.backbone], {
      fit: options.fit ?? PEER_INPUT_FIT,
    });
    return await evaluateDataset({
      dataDir: options.data,
      ...(options.classes ? { classes: options.classes } : {}),
      ...(options.trainFiles ? { trainFiles: options.trainFiles } : {}),
      source,
      scorerFor: async (_name, train) => fitPeer(options.method, train, options.seed),
      map: { size: 224, blurSigma: 4, scoreWindow: 1 },
      describe: {
        method: options.method,
        ablation: null,
        backbone: options.backbone,
        featureRuntime: extractor.runtimeDetail,
        backend: tfjs.detail,
      },
      ...(log ? { log } : {}),
    });
  } finally {
    await extractor.dispose();
  }
}

/** Evaluates a trained LTAD model version on the dataset's test sets. */
export async function runModelEvaluation(
  /** `heads: 'tfjs'` scores with the tfjs heads (the reference) instead of the station's onnxruntime ones. */
  options: EvaluationRequest & { model: string; heads?: 'onnx' | 'tfjs' },
  log?: (line: string) => void,
): Promise<EvaluationReport> {
  const tfjs = await initTfjs();
  const paths = stationPaths(options.home);
  const catalog = Catalog.open(paths.catalogFile);
  let loaded: Awaited<ReturnType<typeof loadModelVersion>> | undefined;
  let thresholds: Map<string, number>;
  try {
    loaded = await loadModelVersion(catalog, options.model);
    thresholds = thresholdsInForce(catalog, loaded.row.id);
  } finally {
    catalog.close();
  }
  const { model, row } = loaded;
  const extractor = await openImageEncoder(model.meta.foundation, options.runtime, paths.backboneCacheDir);
  const heads = options.heads === 'tfjs' ? undefined : openLtadHeads(model);
  try {
    const report = await evaluateDataset({
      dataDir: options.data,
      ...(options.classes ? { classes: options.classes } : {}),
      ...(options.trainFiles ? { trainFiles: options.trainFiles } : {}),
      source: new TokenFeatureSource(extractor, model.meta.config.grid, { fit: inputFitOf(model.meta.config) }),
      scorerFor: async (name) => judgingScorer(model, heads, name, thresholds.get(name)),
      map: model.meta.map,
      describe: {
        method: `ltad ${row.version}`,
        ablation: model.meta.config.ablation === 'none' ? null : model.meta.config.ablation,
        backbone: model.meta.backbone,
        featureRuntime: extractor.runtimeDetail,
        backend: heads ? `heads on ${heads.runtimeDetail}` : tfjs.detail,
      },
      ...(log ? { log } : {}),
    });
    // The model was trained before: report its own training time, not this run's feature pass.
    return { ...report, trainSeconds: model.meta.training.seconds };
  } finally {
    await heads?.dispose();
    await extractor.dispose();
    model.dispose();
  }
}

/** The catalogue's threshold in force per product of a model version. */
function thresholdsInForce(catalog: Catalog, modelVersionId: number): Map<string, number> {
  return new Map(
    catalog.models.calibration(modelVersionId).flatMap((c) => {
      const name = catalog.classes.get(c.classId)?.name;
      return name ? [[name, c.threshold] as const] : [];
    }),
  );
}

/**
 * One product's scorer on the station's own heads (onnxruntime where the model exports them, else
 * tfjs), judging each image as an inspection does when the product has a threshold in force.
 */
function judgingScorer(
  model: LtadModel,
  heads: LtadHeads | undefined,
  name: string,
  threshold: number | undefined,
): TokenScorer | JudgingScorer {
  model.classIndex(name); // refuses classes the model was not trained on
  const { grid } = model.meta.config;
  const run = async (tokens: Float32Array) => (heads ? heads.score(tokens, 1, name) : model.referenceHeads(tokens, 1, name));
  const scorer = { scoreTokens: async (tokens: Float32Array) => (await run(tokens)).score, dispose: () => {} };
  if (threshold === undefined) return scorer;
  const prototypes = model.prototypes();
  return {
    ...scorer,
    threshold,
    judge: async (tokens, frame) => {
      const { score, pooled } = await run(tokens);
      const size = model.meta.map.size;
      return judgeInspection({
        tokenScores: score,
        grid,
        map: model.meta.map,
        frame,
        threshold,
        product: name,
        prototypes,
        pooled,
        sourceSize: { width: size, height: size },
      });
    },
  };
}
