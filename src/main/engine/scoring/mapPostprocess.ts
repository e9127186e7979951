import { maxPooledMean, type ScoreMap } from './anomalyMap';
import { applySeparable, upsampleBlurMatrix } from './separableMapOperator';

export interface MapOptions {
  /** Square size the map is evaluated at (224 by default, docs/method.md, Evaluation). */
  size: number;
  /** Gaussian blur sigma in map pixels (0 = none). */
  blurSigma: number;
  /** Image score = largest mean over window x window (1 = the single maximum). */
  scoreWindow: number;
}

/** Token scores on the grid to an image-sized anomaly map and an image score. */
export function tokenScoresToMap(tokenScores: Float32Array, grid: number, options: MapOptions): { map: ScoreMap; imageScore: number } {
  if (tokenScores.length !== grid * grid) throw new Error(`Expected ${grid * grid} token scores, got ${tokenScores.length}`);
  // Upsampling then blurring, folded into one separable operator (separableMapOperator.ts).
  const data = applySeparable(upsampleBlurMatrix(grid, options.size, options.blurSigma), tokenScores, grid, options.size);
  const map: ScoreMap = { width: options.size, height: options.size, data };
  return { map, imageScore: maxPooledMean(map, options.scoreWindow) };
}
