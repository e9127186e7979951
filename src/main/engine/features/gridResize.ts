/**
 * Resizes one NHWC feature map to a square grid: area averaging when shrinking (each output cell
 * averages the input cells it covers, fractional overlaps weighted), bilinear interpolation when
 * growing (align_corners = false, like PyTorch's default).
 */
export function resizeFeatureMap(data: Float32Array, n: number, h: number, w: number, c: number, grid: number): Float32Array {
  if (data.length !== n * h * w * c) throw new Error(`Feature map holds ${data.length} values, expected ${n}x${h}x${w}x${c}`);
  if (h === grid && w === grid) return data.slice();
  const out = new Float32Array(n * grid * grid * c);
  const rows = axisWeights(h, grid);
  const cols = axisWeights(w, grid);
  for (let b = 0; b < n; b++) {
    for (let gy = 0; gy < grid; gy++) {
      for (let gx = 0; gx < grid; gx++) {
        const target = ((b * grid + gy) * grid + gx) * c;
        for (const [y, wy] of rows[gy] as [number, number][]) {
          for (const [x, wx] of cols[gx] as [number, number][]) {
            const weight = wy * wx;
            const source = ((b * h + y) * w + x) * c;
            for (let k = 0; k < c; k++) out[target + k] = (out[target + k] as number) + weight * (data[source + k] as number);
          }
        }
      }
    }
  }
  return out;
}

/** For each output index, the input indices that feed it with their weights (summing to 1). */
export function axisWeights(inSize: number, outSize: number): [number, number][][] {
  const scale = inSize / outSize;
  return Array.from({ length: outSize }, (_, o) => {
    if (inSize >= outSize) {
      const start = o * scale;
      const end = start + scale;
      const taps: [number, number][] = [];
      for (let i = Math.floor(start); i < Math.ceil(end - 1e-9); i++) {
        const overlap = Math.min(end, i + 1) - Math.max(start, i);
        if (overlap > 1e-9) taps.push([i, overlap / scale]);
      }
      return taps;
    }
    const centre = Math.max(0, (o + 0.5) * scale - 0.5);
    const i0 = Math.min(Math.floor(centre), inSize - 1);
    const i1 = Math.min(i0 + 1, inSize - 1);
    const t = centre - i0;
    return i0 === i1
      ? [[i0, 1]]
      : [
          [i0, 1 - t],
          [i1, t],
        ];
  });
}
