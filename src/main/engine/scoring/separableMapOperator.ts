import { axisWeights } from '../features/gridResize';
import { gaussianKernel } from './anomalyMap';

/**
 * Bilinear upsampling followed by a Gaussian blur (edges repeated) is linear and separable, so the
 * two fold into one size x grid matrix A per axis: map = A S A^T for the grid's scores S. That costs
 * size*size*grid multiply-adds instead of size*size*(kernel taps) for the blur alone, and gives the
 * same map (up to float rounding). Cached per (grid, size, sigma): every inspection reuses it.
 */
const cache = new Map<string, Float32Array>();

export function upsampleBlurMatrix(grid: number, size: number, sigma: number): Float32Array {
  const key = `${grid}:${size}:${sigma}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const resize = axisWeights(grid, size);
  const a = new Float32Array(size * grid);
  const kernel = sigma > 0 ? gaussianKernel(sigma) : Float32Array.of(1);
  const radius = (kernel.length - 1) / 2;
  for (let o = 0; o < size; o++) {
    for (let k = -radius; k <= radius; k++) {
      const j = Math.min(size - 1, Math.max(0, o + k));
      for (const [i, w] of resize[j] as [number, number][])
        a[o * grid + i] = (a[o * grid + i] as number) + (kernel[k + radius] as number) * w;
    }
  }
  cache.set(key, a);
  return a;
}

/**
 * The operator of one axis when the map is then cut to [start, start + extent) of that axis and
 * stretched back to `size` (the image's frame in a letterboxed input, mapPostprocess.ts): cutting
 * and bilinear resizing are linear along each axis too, so they fold into the same size x grid
 * matrix, and a letterboxed image costs what a square one does.
 */
export function framedAxisMatrix(a: Float32Array, grid: number, size: number, start: number, extent: number): Float32Array {
  if (!Number.isInteger(start) || !Number.isInteger(extent) || start < 0 || extent < 1 || start + extent > size)
    throw new Error(`A frame of ${extent} pixels from ${start} does not lie within a map of ${size}`);
  if (start === 0 && extent === size) return a;
  const out = new Float32Array(size * grid);
  axisWeights(extent, size).forEach((taps, o) => {
    for (const [i, w] of taps)
      for (let l = 0; l < grid; l++) out[o * grid + l] = (out[o * grid + l] as number) + w * (a[(start + i) * grid + l] as number);
  });
  return out;
}

/**
 * rows S cols^T for a square grid of scores S ([grid*grid], row-major) into a size x size map;
 * `rows` and `cols` are size x grid (the same matrix for a full frame), read and never written.
 */
export function applySeparable(rows: Float32Array, cols: Float32Array, scores: Float32Array, grid: number, size: number): Float32Array {
  // t = S cols^T: [grid, size]
  const t = new Float32Array(grid * size);
  for (let i = 0; i < grid; i++) {
    for (let x = 0; x < size; x++) {
      let sum = 0;
      for (let l = 0; l < grid; l++) sum += (scores[i * grid + l] as number) * (cols[x * grid + l] as number);
      t[i * size + x] = sum;
    }
  }
  const out = new Float32Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let i = 0; i < grid; i++) {
      const w = rows[y * grid + i] as number;
      if (w === 0) continue;
      const row = i * size;
      for (let x = 0; x < size; x++) out[y * size + x] = (out[y * size + x] as number) + w * (t[row + x] as number);
    }
  }
  return out;
}
