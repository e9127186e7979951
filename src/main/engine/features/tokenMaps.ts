import type { TapFeatures } from '../backbone/featureExtractor';
import { resizeFeatureMap } from './gridResize';

/**
 * Patch tokens of a batch: every tapped layer resized to one grid x grid and concatenated along
 * channels (docs/method.md, Token maps). Layer boundaries are kept because the semantic branch
 * projects each layer separately.
 */
export interface TokenMaps {
  count: number;
  grid: number;
  /** Channels contributed by each tapped layer, in order. */
  layerChannels: number[];
  /** [count, grid * grid, sum(layerChannels)] */
  data: Float32Array;
}

export function tokenDim(maps: Pick<TokenMaps, 'layerChannels'>): number {
  return maps.layerChannels.reduce((a, b) => a + b, 0);
}

export function buildTokenMaps(taps: readonly TapFeatures[], grid: number): TokenMaps {
  const first = taps[0];
  if (!first) throw new Error('No tapped layers');
  const count = first.shape[0];
  const layerChannels = taps.map((t) => t.shape[3]);
  const dim = layerChannels.reduce((a, b) => a + b, 0);
  const data = new Float32Array(count * grid * grid * dim);
  let offset = 0;
  for (const tap of taps) {
    const [n, h, w, c] = tap.shape;
    if (n !== count) throw new Error('Tapped layers disagree on the batch size');
    const resized = resizeFeatureMap(tap.data, n, h, w, c, grid);
    for (let token = 0; token < count * grid * grid; token++) {
      data.set(resized.subarray(token * c, (token + 1) * c), token * dim + offset);
    }
    offset += c;
  }
  return { count, grid, layerChannels, data };
}

/** The tokens of image `index` as a [grid*grid, dim] view. */
export function imageTokens(maps: TokenMaps, index: number): Float32Array {
  const size = maps.grid * maps.grid * tokenDim(maps);
  return maps.data.subarray(index * size, (index + 1) * size);
}
