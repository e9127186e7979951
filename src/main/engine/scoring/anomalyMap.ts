import { axisWeights } from '../features/gridResize';

/** A single-channel score map, row-major. */
export interface ScoreMap {
  width: number;
  height: number;
  data: Float32Array;
}

/** Bilinear resize of a score map (align_corners = false); area-averages when shrinking. */
export function resizeScoreMap(map: ScoreMap, width: number, height: number): ScoreMap {
  const rows = axisWeights(map.height, height);
  const cols = axisWeights(map.width, width);
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (const [sy, wy] of rows[y] as [number, number][]) {
        for (const [sx, wx] of cols[x] as [number, number][]) sum += wy * wx * (map.data[sy * map.width + sx] as number);
      }
      out[y * width + x] = sum;
    }
  }
  return { width, height, data: out };
}

function gaussianKernel(sigma: number): Float32Array {
  const radius = Math.ceil(4 * sigma);
  const kernel = new Float32Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) {
    const v = Math.exp(-(i * i) / (2 * sigma * sigma));
    kernel[i + radius] = v;
    sum += v;
  }
  return kernel.map((v) => v / sum);
}

/** Separable Gaussian blur with edge pixels repeated (what PaDiM and PatchCore apply to their maps). */
export function gaussianBlur(map: ScoreMap, sigma: number): ScoreMap {
  if (sigma <= 0) return { ...map, data: map.data.slice() };
  const kernel = gaussianKernel(sigma);
  const radius = (kernel.length - 1) / 2;
  const { width, height } = map;
  const pass = (src: Float32Array, horizontal: boolean): Float32Array => {
    const dst = new Float32Array(src.length);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let sum = 0;
        for (let k = -radius; k <= radius; k++) {
          const sx = horizontal ? Math.min(width - 1, Math.max(0, x + k)) : x;
          const sy = horizontal ? y : Math.min(height - 1, Math.max(0, y + k));
          sum += (kernel[k + radius] as number) * (src[sy * width + sx] as number);
        }
        dst[y * width + x] = sum;
      }
    }
    return dst;
  };
  return { width, height, data: pass(pass(map.data, true), false) };
}

/** Largest mean over all size x size windows (stride 1): an image score that one hot pixel cannot set. */
export function maxPooledMean(map: ScoreMap, size: number): number {
  const { width, height, data } = map;
  if (size <= 1) return data.reduce((m, v) => Math.max(m, v), -Infinity);
  // Summed-area table: every window mean in O(1).
  const table = new Float64Array((width + 1) * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      row += data[y * width + x] as number;
      table[(y + 1) * (width + 1) + x + 1] = (table[y * (width + 1) + x + 1] as number) + row;
    }
  }
  const s = Math.min(size, width, height);
  let best = -Infinity;
  for (let y = 0; y + s <= height; y++) {
    for (let x = 0; x + s <= width; x++) {
      const at = (yy: number, xx: number) => table[yy * (width + 1) + xx] as number;
      const sum = at(y + s, x + s) - at(y, x + s) - at(y + s, x) + at(y, x);
      best = Math.max(best, sum / (s * s));
    }
  }
  return best;
}
