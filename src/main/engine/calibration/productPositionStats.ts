import type { TokenScoreTerms } from '../ltad/ltadScoring';
import { fitPositionStats, leaveOneOutPositionStats, type PositionStats } from '../ltad/positionNormalisation';

/** Training images per product that its position statistics are fitted on, when they are. */
export const POSITION_STATS_IMAGES = 64;

/**
 * Below this many held-out good images a product's per-position statistics come from its training
 * images (a handful of images gives statistics noisier than the bias they remove).
 */
export const MIN_HELD_OUT_FOR_STATS = 8;

export interface ProductPositionStats {
  stats: PositionStats;
  from: 'held-out' | 'training';
  /** What held-out image `index` is scored against: the statistics without it, when it is among them. */
  forHeldOut(index: number): PositionStats;
}

/**
 * One product's per-position statistics of S_rec and S_sem (positionNormalisation.ts), fitted on
 * good images the model has not seen: its held-out images. Training images look more normal than
 * any new part, to the semantic branch most of all (it learned them as normal): statistics fitted
 * on them made the z-scores of new good parts too large, and the semantic term misled where it
 * should help (docs/method.md, Scoring). A product with fewer than MIN_HELD_OUT_FOR_STATS held-out
 * images uses its training images (`trainingTerms`, called only then: the first
 * POSITION_STATS_IMAGES, each scored against a memory without its own tokens).
 */
export function productPositionStats(
  heldOutTerms: readonly TokenScoreTerms[],
  trainingTerms: () => readonly TokenScoreTerms[],
  positions: number,
): ProductPositionStats {
  if (heldOutTerms.length >= MIN_HELD_OUT_FOR_STATS) {
    const fitted = leaveOneOutPositionStats(heldOutTerms, positions);
    return { stats: fitted.stats, from: 'held-out', forHeldOut: (index) => fitted.without(index) };
  }
  const stats = fitPositionStats(trainingTerms(), positions);
  return { stats, from: 'training', forHeldOut: () => stats };
}
