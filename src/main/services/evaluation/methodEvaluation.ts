import type { BackboneId, FeatureRuntimeId } from '../../../shared/backbones';
import type { InputFit } from '../../../shared/inputFit';
import type { EvaluationReport } from '../../../shared/evaluation';
import { Catalog } from '../../catalog/catalog';
import { createFeatureExtractor } from '../../engineAdapters/createFeatureExtractor';
import { openLtadHeads } from '../../engineAdapters/ltadHeadsSession';
import { openImageEncoder } from '../../engineAdapters/resolveFoundationPack';
import { fitPeer, type PeerMethod } from '../../engine/peers/peerMethods';
import { initTfjs } from '../../engine/tfjsRuntime';
import { stationPaths } from '../../stationPaths';
import { evaluateDataset } from './datasetEvaluation';
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
  try {
    loaded = await loadModelVersion(catalog, options.model);
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
      scorerFor: async (name) => {
        model.classIndex(name); // refuses classes the model was not trained on
        // The station's own heads: onnxruntime where the model exports them, else tfjs.
        if (heads) return { scoreTokens: async (tokens) => (await heads.score(tokens, 1, name)).score, dispose: () => {} };
        return { scoreTokens: (tokens) => model.tokenScores(tokens, 1, name), dispose: () => {} };
      },
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
