import { FULL_FRAME, isFullFrame, pixelsOfFrame, type InputFrame } from '../features/inputFrame';
import { maxPooledMean, resizeScoreMap, type ScoreMap } from './anomalyMap';
import { applySeparable, upsampleBlurMatrix } from './separableMapOperator';

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
 * into the input (`frame`), the bars are cut off first, so they neither show nor count.
 */
export function tokenScoresToMap(
  tokenScores: Float32Array,
  grid: number,
  options: MapOptions,
  frame: InputFrame = FULL_FRAME,
): { map: ScoreMap; imageScore: number } {
  if (tokenScores.length !== grid * grid) throw new Error(`Expected ${grid * grid} token scores, got ${tokenScores.length}`);
  // Upsampling then blurring, folded into one separable operator (separableMapOperator.ts).
  const data = applySeparable(upsampleBlurMatrix(grid, options.size, options.blurSigma), tokenScores, grid, options.size);
  const input: ScoreMap = { width: options.size, height: options.size, data };
  const map = isFullFrame(frame) ? input : resizeScoreMap(cropScoreMap(input, frame), options.size, options.size);
  return { map, imageScore: maxPooledMean(map, options.scoreWindow) };
}

/** The part of a map inside `frame` (at least one pixel each way). */
export function cropScoreMap(map: ScoreMap, frame: InputFrame): ScoreMap {
  const { left, top, width, height } = pixelsOfFrame(frame, map.width, map.height);
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++)
    data.set(map.data.subarray((top + y) * map.width + left, (top + y) * map.width + left + width), y * width);
  return { width, height, data };
}
