import { pooledEmbedding, type ClassPrototypes } from '../scoring/classPrototypes';
import type { FeatureNormalisation } from '../features/featureNormalisation';
import { standardise } from '../features/featureNormalisation';
import type { ScoreMap } from '../scoring/anomalyMap';
import { tokenScoresToMap, type MapOptions } from '../scoring/mapPostprocess';
import { tf } from '../tfjsRuntime';
import type { LtadConfig } from './ltadConfig';
import { combine, scoreTerms, type SemanticScale, type TokenScoreTerms } from './ltadScoring';
import { LtadNetwork } from './ltadNetwork';
import { normalisedScores, type PositionStats } from './positionNormalisation';
import type { ParameterValues } from './parameterStore';
import type { FoundationSource } from './foundationSource';
import type { TextTower } from './textTower';
import type { InputFrame } from '../features/inputFrame';

export const LTAD_MODEL_FORMAT = 'qa-station/ltad@1';

export interface ClassCalibrationRecord {
  threshold: number;
  targetFalseRejectRate: number;
  /** Where the threshold came from: ten or more held-out good images, or (fewer) those pooled with training images plus a margin. */
  thresholdSource: 'held-out' | 'training';
  /** The good-image scores behind the threshold (the supervisor's histogram). */
  goodScores: number[];
}

/** Everything about a trained model except its weights: model.json in the model directory. */
export interface LtadModelMeta {
  format: typeof LTAD_MODEL_FORMAT;
  /** Image encoder id: a built-in backbone or pack:<name>. */
  backbone: string;
  foundation: FoundationSource;
  taps: string[];
  config: LtadConfig;
  classNames: string[];
  normalisation: { mean: number[]; std: number[] };
  lambda: number;
  /**
   * Per class, per token position statistics of the two terms on good images the model has not
   * seen, or on training images where a product has too few of those (positionNormalisation.ts,
   * productPositionStats.ts). Models saved before they existed combine S_rec + lambda * S_sem.
   */
  positionStats?: Record<string, PositionStats>;
  /** Which images each product's statistics came from; absent in models saved before (training images). */
  positionStatsFrom?: Record<string, 'held-out' | 'training'>;
  /** How S_sem is expressed (ltadScoring.ts); absent in models saved before: probabilities. */
  semanticScale?: SemanticScale;
  /**
   * S_sem's weight in S, chosen at calibration on painted defect views of held-out good images
   * (semanticWeight.ts), with the mean image AUROC each candidate weight reached there.
   */
  semanticWeight?: { weight: number; aurocByWeight: Record<string, number>; views: number };
  /**
   * Each product's own choice (semanticWeight.ts, chooseProductSemanticWeights); absent in models
   * saved before, which use semanticWeight for all.
   */
  semanticWeights?: Record<string, { weight: number; aurocByWeight: Record<string, number>; views: number }>;
  map: MapOptions;
  calibration: Record<string, ClassCalibrationRecord>;
  prototypes: { vectors: number[]; dim: number; minSimilarity: number[] };
  textTower: string;
  training: {
    backend: string;
    seconds: number;
    perPhaseSeconds: Record<string, number>;
    nTrainPerClass: Record<string, number>;
    nHeldOutPerClass: Record<string, number>;
  };
}

/** A trained LTAD model ready to score token maps of any of its classes. */
export class LtadModel {
  private readonly prompts: tf.Tensor3D;
  private readonly normalisation: FeatureNormalisation;

  constructor(
    readonly meta: LtadModelMeta,
    readonly network: LtadNetwork,
  ) {
    this.prompts = network.promptEmbeddings();
    this.normalisation = { mean: Float32Array.from(meta.normalisation.mean), std: Float32Array.from(meta.normalisation.std) };
  }

  /** `openTextTower` opens the model's foundation's tower (src/main/engineAdapters/openLtadModel.ts), once the format is known. */
  static fromWeights(meta: LtadModelMeta, weights: ParameterValues, openTextTower: () => TextTower): LtadModel {
    if (meta.format !== LTAD_MODEL_FORMAT) {
      throw new Error(
        `This station cannot read model format ${JSON.stringify(meta.format)} (it reads ${LTAD_MODEL_FORMAT}): retrain the model with this version of the station`,
      );
    }
    const network = new LtadNetwork(meta.config, meta.classNames.length, openTextTower());
    network.store.load(weights);
    return new LtadModel(meta, network);
  }

  classIndex(className: string): number {
    const index = this.meta.classNames.indexOf(className);
    if (index < 0) throw new Error(`This model does not know the product "${className}" (it knows: ${this.meta.classNames.join(', ')})`);
    return index;
  }

  /**
   * S_rec and S_sem per token for `count` raw token maps of one class. `ownRows` names their
   * training rows when they are training images (calibration right after training).
   */
  scoreTerms(rawTokens: Float32Array, count: number, className: string, ownRows?: readonly number[]): TokenScoreTerms {
    return scoreTerms(
      this.network,
      this.prompts,
      standardise(rawTokens, this.normalisation),
      count,
      this.classIndex(className),
      ownRows,
      this.meta.semanticScale ?? 'probability',
    );
  }

  /**
   * Combined per-token scores for `count` raw token maps of one class: both terms normalised per
   * position against the class's training images, or S_rec + lambda * S_sem for older models.
   */
  tokenScores(rawTokens: Float32Array, count: number, className: string, ownRows?: readonly number[]): Float32Array {
    const terms = this.scoreTerms(rawTokens, count, className, ownRows);
    const stats = this.meta.positionStats?.[className];
    return stats ? normalisedScores(terms, stats, this.semanticWeightOf(className)) : combine(terms, this.meta.lambda);
  }

  /** S_sem's weight in S: 0 without the semantic branch, else the calibrated one (1 for models saved before it was). */
  semanticWeightOf(className: string): number {
    if (this.meta.config.ablation === 'no-semantic') return 0;
    return this.meta.semanticWeights?.[className]?.weight ?? this.meta.semanticWeight?.weight ?? 1;
  }

  /** One image's anomaly map (at meta.map.size, over the image's own `frame` in the input) and image score. */
  scoreImage(rawTokens: Float32Array, className: string, frame: InputFrame, ownRow?: number): { map: ScoreMap; imageScore: number } {
    return tokenScoresToMap(
      this.tokenScores(rawTokens, 1, className, ownRow === undefined ? undefined : [ownRow]),
      this.meta.config.grid,
      this.meta.map,
      frame,
    );
  }

  /** The product's unit prompt embeddings t_n, t_a, [2 * textDim] (for the exported heads, ltadHeadsGraph.ts). */
  promptsOf(classIndex: number): Float32Array {
    return tf.tidy(() => Float32Array.from(this.prompts.slice([classIndex, 0, 0], [1, -1, -1]).dataSync() as Float32Array));
  }

  standardised(rawTokens: Float32Array): Float32Array {
    return standardise(rawTokens, this.normalisation);
  }

  /**
   * What the exported heads graph gives, on tfjs (the reference): S per token of `count` raw token
   * maps of one product, [count * T], and each map's mean standardised token, [count * dim].
   */
  referenceHeads(rawTokens: Float32Array, count: number, className: string): { score: Float32Array; pooled: Float32Array } {
    const positions = this.meta.config.grid * this.meta.config.grid;
    const dim = rawTokens.length / Math.max(count * positions, 1);
    const standardised = this.standardised(rawTokens);
    const pooled = new Float32Array(count * dim);
    for (let k = 0; k < count; k++)
      pooled.set(pooledEmbedding(standardised.subarray(k * positions * dim, (k + 1) * positions * dim), positions, dim), k * dim);
    return { score: this.tokenScores(rawTokens, count, className), pooled };
  }

  prototypes(): ClassPrototypes {
    return {
      classNames: this.meta.classNames,
      vectors: Float32Array.from(this.meta.prototypes.vectors),
      dim: this.meta.prototypes.dim,
      minSimilarity: this.meta.prototypes.minSimilarity,
    };
  }

  weights(): ParameterValues {
    return this.network.store.values();
  }

  /** Learned pseudo-name embeddings of each class: [nameTokens, width] float32. */
  pseudoNames(): { className: string; tokens: number; dim: number; data: Float32Array }[] {
    const all = this.network.names.dataSync() as Float32Array;
    const [tokens, dim] = [this.meta.config.nameTokens, this.network.text.width];
    return this.meta.classNames.map((className, c) => ({
      className,
      tokens,
      dim,
      data: all.slice(c * tokens * dim, (c + 1) * tokens * dim),
    }));
  }

  dispose(): void {
    this.prompts.dispose();
    this.network.text.dispose();
    this.network.dispose();
  }
}
