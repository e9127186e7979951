/** Scores and thresholds: three decimals are enough to compare them at a glance. */
export function formatScore(value: number): string {
  return Number.isFinite(value) ? value.toFixed(3) : String(value);
}

/** A normalised score (0..1, threshold 0.5): two decimals, as operators read it. */
export function formatNormalisedScore(value: number): string {
  return value.toFixed(2);
}

/** The score a row shows: normalised where the inspection kept its scale, else the raw score. */
export function formatShownScore(result: { score: number; normalisedScore: number | null }): string {
  return result.normalisedScore === null ? formatScore(result.score) : formatNormalisedScore(result.normalisedScore);
}

/** A rate in [0, 1] as a percentage with one decimal. */
export function formatPercent(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

export function formatMilliseconds(ms: number): string {
  return `${Math.round(ms)} ms`;
}
