/** Scores and thresholds: three decimals are enough to compare them at a glance. */
export function formatScore(value: number): string {
  return Number.isFinite(value) ? value.toFixed(3) : String(value);
}

/** A rate in [0, 1] as a percentage with one decimal. */
export function formatPercent(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

export function formatMilliseconds(ms: number): string {
  return `${Math.round(ms)} ms`;
}
