/** What a product's threshold on one model stands on: what training set, and the good scores behind it. */
export interface ThresholdBasis {
  trained: number;
  goodScores: readonly number[];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** How far a threshold sits above the typical good part, in units of the trained threshold's margin over it. */
function marginUnits(basis: ThresholdBasis): { typical: number; margin: number } | null {
  if (basis.goodScores.length === 0) return null;
  const typical = median(basis.goodScores);
  const margin = basis.trained - typical;
  return margin > 1e-9 && Number.isFinite(margin) ? { typical, margin } : null;
}

/**
 * A supervisor's threshold on one model carried to a retrained one as what it meant, not as a raw
 * score (the two models' scales differ): as many trained margins above the typical good part as it
 * was. A supervisor who raised the threshold from 5 to 7 where good parts score 3 asked for twice
 * the margin; on a model whose good parts score 2.5 with a trained threshold of 4.6 that is 6.7.
 * Null when either model's good scores give no margin to measure with.
 */
export function carryThreshold(from: ThresholdBasis & { chosen: number }, to: ThresholdBasis): number | null {
  const [old, next] = [marginUnits(from), marginUnits(to)];
  if (!old || !next) return null;
  return next.typical + ((from.chosen - old.typical) / old.margin) * next.margin;
}
