import type { InputFrame } from '../features/inputFrame';
import { auroc } from '../metrics/auroc';
import type { TokenScoreTerms } from './ltadScoring';
import { normalisedScores, type PositionStats } from './positionNormalisation';

/**
 * How much S_sem counts in S (docs/method.md, Scoring). The semantic branch learns "abnormal" from
 * pseudo-anomalies; where that does not carry over to a station's products, adding it at full
 * weight lowers image AUROC below S_rec's alone. So each model measures it: painted defect views
 * of held-out good images (which neither the memory nor the semantic branch has seen) against those
 * good images, and the candidate weight with the best mean image AUROC wins; ties keep the larger,
 * except that S_rec alone (0) wins whenever it ties the best. The views are the kind of defect the
 * semantic branch was trained on, so this test favours S_sem: when the reconstruction already
 * separates them as well, nothing shows that S_sem adds anything on real defects (synthetic set of
 * bench:eval, standard preset: weights 0, 0.5 and 0.25 all had every painted view right; with 0.5
 * Avg image AUROC on the real test images was 0.992, with S_rec alone 1.000).
 */
export const SEMANTIC_WEIGHTS = [1, 0.5, 0.25, 0] as const;

/** One image's score terms, where the image lay in the network input, and the statistics it is scored against. */
export interface ValidationImage {
  terms: TokenScoreTerms;
  frame: InputFrame;
  /** The product's position statistics, without this image's own when it is among them (productPositionStats.ts). */
  stats: PositionStats;
}

export interface WeightValidationClass {
  good: readonly ValidationImage[];
  painted: readonly ValidationImage[];
}

export interface SemanticWeightChoice {
  weight: number;
  /** Mean image AUROC over the classes with both kinds of image, per candidate weight. */
  aurocByWeight: Record<string, number>;
  /** Painted views the choice rests on. */
  views: number;
}

export function chooseSemanticWeight(
  classes: readonly WeightValidationClass[],
  imageScore: (tokenScores: Float32Array, frame: InputFrame) => number,
): SemanticWeightChoice {
  const usable = classes.filter((c) => c.good.length > 0 && c.painted.length > 0);
  const views = usable.reduce((n, c) => n + c.painted.length, 0);
  if (usable.length === 0) return { weight: 1, aurocByWeight: {}, views: 0 };
  const aurocByWeight: Record<string, number> = {};
  let best: number = SEMANTIC_WEIGHTS[0];
  for (const weight of SEMANTIC_WEIGHTS) {
    const perClass = usable.map((c) => {
      const scores = [...c.good, ...c.painted].map((image) => imageScore(normalisedScores(image.terms, image.stats, weight), image.frame));
      return auroc(scores, [...c.good.map(() => false), ...c.painted.map(() => true)]);
    });
    aurocByWeight[String(weight)] = perClass.reduce((a, b) => a + b, 0) / perClass.length;
    if ((aurocByWeight[String(weight)] as number) > (aurocByWeight[String(best)] as number)) best = weight;
  }
  if (aurocByWeight['0'] === aurocByWeight[String(best)]) best = 0;
  return { weight: best, aurocByWeight, views };
}

/**
 * Below this many good and painted held-out images a product's own choice is too noisy (a few
 * pairs decide it): such a product takes the choice pooled over every product.
 */
export const MIN_OWN_VALIDATION_IMAGES = 8;

/**
 * Each product's own weight, from its own painted views: S_sem may help one product and mislead
 * on another (on the real dev set a weight of 0.5 chosen over all products took magnetic_tile's
 * image AUROC from 0.82 to 0.67). Products with too few held-out images get the pooled choice, and
 * so do products whose own views cannot tell the weights apart (every candidate scored alike, as
 * when a few views are all found by every weight): they carry no evidence of their own, and S_rec
 * alone is not the better guess then (docs/method.md, Scoring).
 */
export function chooseProductSemanticWeights(
  classes: readonly (WeightValidationClass & { name: string })[],
  imageScore: (tokenScores: Float32Array, frame: InputFrame) => number,
): { pooled: SemanticWeightChoice; perProduct: Record<string, SemanticWeightChoice> } {
  const pooled = chooseSemanticWeight(classes, imageScore);
  const own = (c: WeightValidationClass): SemanticWeightChoice | undefined => {
    if (c.good.length < MIN_OWN_VALIDATION_IMAGES || c.painted.length < MIN_OWN_VALIDATION_IMAGES) return undefined;
    const choice = chooseSemanticWeight([c], imageScore);
    return new Set(Object.values(choice.aurocByWeight)).size > 1 ? choice : undefined;
  };
  const perProduct = Object.fromEntries(classes.map((c) => [c.name, own(c) ?? pooled]));
  return { pooled, perProduct };
}
