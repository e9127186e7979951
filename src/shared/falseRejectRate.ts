/** Good images whose score is above the threshold would be rejected: that fraction is the false-reject rate. */
export function falseRejectCount(goodScores: readonly number[], threshold: number): number {
  return goodScores.filter((score) => score > threshold).length;
}

export function falseRejectRate(goodScores: readonly number[], threshold: number): number {
  return goodScores.length === 0 ? 0 : falseRejectCount(goodScores, threshold) / goodScores.length;
}

/**
 * How often a new good part may fail at this threshold, from held-out good scores that are
 * exchangeable with new parts: (k + 1) / (n + 1), k of the n above the threshold (the conformal
 * bound). The rate on the scores themselves says 0% whenever the threshold was set above them all,
 * which with five images promises nothing; this says "up to 17%" instead.
 */
export function newPartFalseRejectBound(heldOutScores: readonly number[], threshold: number): number {
  return (falseRejectCount(heldOutScores, threshold) + 1) / (heldOutScores.length + 1);
}
