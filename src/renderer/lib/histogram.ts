export interface Histogram {
  /** Lower edge of the first bin and the width of every bin. */
  start: number;
  binWidth: number;
  counts: number[];
}

/**
 * Equal-width bins over the values, widened to include `alsoCover` (the threshold) so that the
 * threshold line always falls inside the chart.
 */
export function histogram(values: readonly number[], binCount: number, alsoCover: number): Histogram {
  const all = [...values, alsoCover].filter(Number.isFinite);
  let low = Math.min(...all);
  let high = Math.max(...all);
  if (!(high > low)) {
    // A single value (or none): give the bins some width around it.
    const pad = Math.abs(low) * 0.1 || 1;
    low -= pad;
    high += pad;
  }
  const binWidth = (high - low) / binCount;
  const counts = new Array<number>(binCount).fill(0);
  for (const value of values) {
    if (!Number.isFinite(value)) continue;
    const index = Math.min(binCount - 1, Math.max(0, Math.floor((value - low) / binWidth)));
    counts[index] = (counts[index] ?? 0) + 1;
  }
  return { start: low, binWidth, counts };
}
