import type { TokenScoreTerms } from '../ltad/ltadScoring';
import { fitPositionStats, type PositionStats } from '../ltad/positionNormalisation';

/** Training images per product that its position statistics are fitted on. */
export const POSITION_STATS_IMAGES = 64;

/**
 * Each product's per-position statistics of S_rec and S_sem (positionNormalisation.ts).
 * `imageTerms(name, c)` gives one record per image of product c: its first POSITION_STATS_IMAGES
 * training images, scored against a memory without their own tokens. Asked for one product at a
 * time, so the caller can read them a product at a time.
 */
export function productPositionStats(
  classNames: readonly string[],
  imageTerms: (className: string, classIndex: number) => readonly TokenScoreTerms[],
  positions: number,
): Record<string, PositionStats> {
  return Object.fromEntries(classNames.map((name, c) => [name, fitPositionStats(imageTerms(name, c), positions)]));
}
