type SortedScores = Float32Array | Float64Array;

/**
 * Exact area under the ROC curve from ascending-sorted positive and negative scores:
 * P(pos > neg) + 0.5 * P(pos == neg), i.e. the Mann-Whitney statistic with ties counted as half.
 */
export function aurocFromSorted(positives: SortedScores, negatives: SortedScores): number {
  if (positives.length === 0 || negatives.length === 0) {
    throw new Error(`AUROC needs both classes: ${positives.length} positive and ${negatives.length} negative scores`);
  }
  let below = 0; // negatives strictly below the current positive value
  let wins = 0;
  let i = 0;
  while (i < positives.length) {
    const value = positives[i] as number;
    let runEnd = i;
    while (runEnd < positives.length && positives[runEnd] === value) runEnd++;
    while (below < negatives.length && (negatives[below] as number) < value) below++;
    let equalEnd = below;
    while (equalEnd < negatives.length && negatives[equalEnd] === value) equalEnd++;
    wins += (runEnd - i) * (below + 0.5 * (equalEnd - below));
    i = runEnd;
  }
  return wins / (positives.length * negatives.length);
}

/** Image-level AUROC: `labels[i]` true (or 1) marks a defective item. NaN scores are refused. */
export function auroc(scores: ArrayLike<number>, labels: ArrayLike<boolean | number>): number {
  if (scores.length !== labels.length) throw new Error(`${scores.length} scores but ${labels.length} labels`);
  const positives: number[] = [];
  const negatives: number[] = [];
  for (let i = 0; i < scores.length; i++) {
    const score = scores[i] as number;
    if (Number.isNaN(score)) throw new Error(`Score ${i} is NaN`);
    (labels[i] ? positives : negatives).push(score);
  }
  return aurocFromSorted(Float64Array.from(positives).sort(), Float64Array.from(negatives).sort());
}
