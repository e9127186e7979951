/**
 * The score people read (docs/ARCHITECTURE.md, Scores people read): every product's raw image score
 * mapped onto one scale where the threshold in force sits at 0.5, a typical good part (the median
 * of the good scores its threshold was set from) at 0.25, and a part as far above the threshold as
 * the threshold is above a typical good part at 0.75; clipped to 0..1. Raw scores differ between
 * products and models by orders of magnitude (3071 on one, 6.56 on another); this one does not.
 * The mapping is monotonic, so "fails" is still "above the threshold": normalised above 0.5.
 */
export const NORMALISED_THRESHOLD = 0.5;

/** Where a product's raw scores sit: its threshold in force, and the raw distance that is 0.25 on the normalised scale. */
export interface ScoreScale {
  threshold: number;
  spread: number;
}

function quantile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const [low, high] = [Math.floor(at), Math.ceil(at)];
  return (sorted[low] as number) + ((sorted[high] as number) - (sorted[low] as number)) * (at - low);
}

/**
 * The scale of a product from its threshold in force and the good scores behind its threshold: the
 * distance from a typical good part to the threshold. Where a supervisor set the threshold at or
 * below a typical good part, half the width of the middle 80% of the good scores instead. Null
 * without good scores, or when they do not spread at all.
 */
export function scoreScaleOf(threshold: number, goodScores: readonly number[]): ScoreScale | null {
  if (goodScores.length === 0 || !Number.isFinite(threshold)) return null;
  const sorted = [...goodScores].sort((a, b) => a - b);
  const aboveTypical = threshold - quantile(sorted, 0.5);
  const spread = aboveTypical > 0 ? aboveTypical : (quantile(sorted, 0.9) - quantile(sorted, 0.1)) / 2;
  return spread > 0 && Number.isFinite(spread) ? { threshold, spread } : null;
}

export function normaliseScore(raw: number, scale: ScoreScale): number {
  const normalised = NORMALISED_THRESHOLD + (0.25 * (raw - scale.threshold)) / scale.spread;
  return Math.min(1, Math.max(0, normalised));
}

/** The normalised score a recorded inspection showed, from its own row: null before rows kept their scale. */
export function recordedNormalisedScore(row: { score: number; threshold: number; scoreSpread: number | null }): number | null {
  return row.scoreSpread === null ? null : normaliseScore(row.score, { threshold: row.threshold, spread: row.scoreSpread });
}
