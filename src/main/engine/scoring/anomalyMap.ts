import { axisWeights } from '../features/gridResize';

/** A single-channel score map, row-major. */
export interface ScoreMap {
  width: number;
  height: number;
  data: Float32Array;
}

/** One axis of a resize as flat arrays: output o reads taps offsets[o]..offsets[o+1] of (index, weight). */
interface AxisTaps {
  offsets: Int32Array;
  index: Int32Array;
  weight: Float32Array;
}

function axisTaps(inSize: number, outSize: number): AxisTaps {
  const lists = axisWeights(inSize, outSize);
  const total = lists.reduce((n, l) => n + l.length, 0);
  const taps: AxisTaps = { offsets: new Int32Array(outSize + 1), index: new Int32Array(total), weight: new Float32Array(total) };
  let k = 0;
  lists.forEach((list, o) => {
    for (const [i, w] of list) {
      taps.index[k] = i;
      taps.weight[k++] = w;
    }
    taps.offsets[o + 1] = k;
  });
  return taps;
}

/**
 * Bilinear resize of a score map (align_corners = false); area-averages when shrinking. Separable:
 * rows first, then columns, over flat tap tables (this runs for every inspected image).
 */
export function resizeScoreMap(map: ScoreMap, width: number, height: number): ScoreMap {
  const cols = axisTaps(map.width, width);
  const rows = axisTaps(map.height, height);
  const wide = new Float32Array(map.height * width);
  for (let y = 0; y < map.height; y++) {
    const src = y * map.width;
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let k = cols.offsets[x] as number; k < (cols.offsets[x + 1] as number); k++)
        sum += (cols.weight[k] as number) * (map.data[src + (cols.index[k] as number)] as number);
      wide[y * width + x] = sum;
    }
  }
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let k = rows.offsets[y] as number; k < (rows.offsets[y + 1] as number); k++) {
      const w = rows.weight[k] as number;
      const src = (rows.index[k] as number) * width;
      for (let x = 0; x < width; x++) out[y * width + x] = (out[y * width + x] as number) + w * (wide[src + x] as number);
    }
  }
  return { width, height, data: out };
}

/** Normalised Gaussian taps out to 4 sigma. */
export function gaussianKernel(sigma: number): Float32Array {
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
  // One pass along a line of `length` values `step` apart; edge values repeat.
  const blurLine = (src: Float32Array, dst: Float32Array, start: number, step: number, length: number) => {
    for (let i = 0; i < length; i++) {
      let sum = 0;
      if (i >= radius && i + radius < length) {
        for (let k = 0; k < kernel.length; k++) sum += (kernel[k] as number) * (src[start + (i - radius + k) * step] as number);
      } else {
        for (let k = 0; k < kernel.length; k++)
          sum += (kernel[k] as number) * (src[start + Math.min(length - 1, Math.max(0, i - radius + k)) * step] as number);
      }
      dst[start + i * step] = sum;
    }
  };
  const pass = (src: Float32Array, horizontal: boolean): Float32Array => {
    const dst = new Float32Array(src.length);
    if (horizontal) for (let y = 0; y < height; y++) blurLine(src, dst, y * width, 1, width);
    else for (let x = 0; x < width; x++) blurLine(src, dst, x, width, height);
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
  const stride = width + 1;
  for (let y = 0; y + s <= height; y++) {
    const top = y * stride;
    const bottom = (y + s) * stride;
    for (let x = 0; x + s <= width; x++) {
      const sum =
        (table[bottom + x + s] as number) - (table[top + x + s] as number) - (table[bottom + x] as number) + (table[top + x] as number);
      if (sum > best) best = sum;
    }
  }
  return best / (s * s);
}
