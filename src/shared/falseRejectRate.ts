/** Good images whose score is above the threshold would be rejected: that fraction is the false-reject rate. */
export function falseRejectCount(goodScores: readonly number[], threshold: number): number {
  return goodScores.filter((score) => score > threshold).length;
}

export function falseRejectRate(goodScores: readonly number[], threshold: number): number {
  return goodScores.length === 0 ? 0 : falseRejectCount(goodScores, threshold) / goodScores.length;
}
