export interface Histogram {
  /** Lower edge of the first bin and the width of every bin. */
  start: number;
  binWidth: number;
  counts: number[];
}

/** Equal-width bins over [low, high]; values outside fall in the end bins. */
export function histogramOver(values: readonly number[], binCount: number, low: number, high: number): Histogram {
  const binWidth = (high - low) / binCount;
  const counts = new Array<number>(binCount).fill(0);
  for (const value of values) {
    if (!Number.isFinite(value)) continue;
    const index = Math.min(binCount - 1, Math.max(0, Math.floor((value - low) / binWidth)));
    counts[index] = (counts[index] ?? 0) + 1;
  }
  return { start: low, binWidth, counts };
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
  return histogramOver(values, binCount, low, high);
}

/**
 * The span a threshold chart and its slider share: the scores and the stored threshold with a
 * quarter of their spread either side. It does not follow the threshold being tried, so the line
 * moves and the axes stay; only a typed value outside it widens it to reach that value.
 */
export function thresholdRange(scores: readonly number[], stored: number, tried: number): { min: number; max: number } {
  const values = [...scores, stored].filter(Number.isFinite);
  const low = Math.min(...values);
  const high = Math.max(...values);
  const pad = (high - low) * 0.25 || Math.abs(high) * 0.5 || 1;
  const range = { min: low - pad, max: high + pad };
  if (!Number.isFinite(tried)) return range;
  return { min: Math.min(range.min, tried), max: Math.max(range.max, tried) };
}
