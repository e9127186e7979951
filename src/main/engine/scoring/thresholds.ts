/**
 * A per-class threshold from good images only: the score below which a share (1 - target false
 * reject rate) of held-out good images fall, by linear interpolation between order statistics.
 * With no held-out images the caller passes training scores and the threshold is raised by
 * `margin` of their spread, since training scores are optimistic.
 */
export function thresholdForFalseRejectRate(goodScores: readonly number[], targetFalseRejectRate: number, margin = 0): number {
  if (goodScores.length === 0) throw new Error('A threshold needs at least one good image score');
  if (!(targetFalseRejectRate >= 0 && targetFalseRejectRate < 1)) throw new Error('The target false-reject rate must be in [0, 1)');
  const sorted = [...goodScores].sort((a, b) => a - b);
  const position = (sorted.length - 1) * (1 - targetFalseRejectRate);
  const lo = Math.floor(position);
  const hi = Math.min(lo + 1, sorted.length - 1);
  const value = (sorted[lo] as number) + (position - lo) * ((sorted[hi] as number) - (sorted[lo] as number));
  const spread = (sorted[sorted.length - 1] as number) - (sorted[0] as number);
  return value + margin * spread;
}

export { falseRejectRate } from '../../../shared/falseRejectRate';
