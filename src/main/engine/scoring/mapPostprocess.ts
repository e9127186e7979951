import { FULL_FRAME, pixelsOfFrame, type InputFrame } from '../features/inputFrame';
import { maxPooledMean, type ScoreMap } from './anomalyMap';
import { applySeparable, framedAxisMatrix, upsampleBlurMatrix } from './separableMapOperator';

export interface MapOptions {
  /** Square size the map is evaluated at (224 by default, docs/method.md, Evaluation). */
  size: number;
  /** Gaussian blur sigma in map pixels (0 = none). */
  blurSigma: number;
  /** Image score = largest mean over window x window (1 = the single maximum). */
  scoreWindow: number;
}

/**
 * Token scores on the grid to an anomaly map of the image and an image score. The map covers the
 * image itself, stretched to size x size as masks and overlays are: when the image was letterboxed
 * into the input (`frame`), the bars are cut off, so they neither show nor count.
 */
export function tokenScoresToMap(
  tokenScores: Float32Array,
  grid: number,
  options: MapOptions,
  frame: InputFrame = FULL_FRAME,
): { map: ScoreMap; imageScore: number } {
  if (tokenScores.length !== grid * grid) throw new Error(`Expected ${grid * grid} token scores, got ${tokenScores.length}`);
  // Upsampling, blurring, cutting to the frame and stretching back, folded into one separable operator (separableMapOperator.ts).
  const { size } = options;
  const a = upsampleBlurMatrix(grid, size, options.blurSigma);
  const { left, top, width, height } = pixelsOfFrame(frame, size, size);
  const data = applySeparable(
    framedAxisMatrix(a, grid, size, top, height),
    framedAxisMatrix(a, grid, size, left, width),
    tokenScores,
    grid,
    size,
  );
  const map: ScoreMap = { width: size, height: size, data };
  return { map, imageScore: maxPooledMean(map, options.scoreWindow) };
}
