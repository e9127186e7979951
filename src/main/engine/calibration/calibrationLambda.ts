import type { LtadAblation } from '../ltad/ltadConfig';
import { balanceLambda, type TokenScoreTerms } from '../ltad/ltadScoring';

/** Training images per product whose terms set lambda: enough for a stable spread, cheap to score. */
export const LAMBDA_SAMPLE_IMAGES = 16;

/**
 * S_sem's weight in S_rec + lambda * S_sem (models without position statistics score with it):
 * the two terms' spreads balanced over every product's sample (`sampleTerms`, one per product);
 * 0 when the model has no semantic branch to weigh.
 */
export function calibrationLambda(ablation: LtadAblation, sampleTerms: readonly TokenScoreTerms[]): number {
  return ablation === 'no-semantic' ? 0 : balanceLambda(sampleTerms);
}
