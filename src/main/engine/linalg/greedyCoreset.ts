/**
 * Greedy k-center selection (PatchCore's coreset): a subset of points such that every point lies
 * close to one of them, which keeps rare normal patterns that a k-means would average away.
 */

/** Gaussian random projection of every row to `k` dims (the Johnson-Lindenstrauss trick). */
export function randomProjection(rows: Float32Array, count: number, dim: number, k: number, random: () => number): Float32Array {
  const matrix = new Float32Array(dim * k);
  for (let i = 0; i < matrix.length; i++) {
    // Box-Muller
    const u = Math.max(random(), 1e-12);
    matrix[i] = (Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random())) / Math.sqrt(k);
  }
  const out = new Float32Array(count * k);
  for (let r = 0; r < count; r++) {
    const row = r * dim;
    for (let j = 0; j < dim; j++) {
      const v = rows[row + j] as number;
      if (v === 0) continue;
      const m = j * k;
      for (let c = 0; c < k; c++) out[r * k + c] = (out[r * k + c] as number) + v * (matrix[m + c] as number);
    }
  }
  return out;
}

/** Repeatedly takes the point farthest from everything chosen so far, starting at `start`. */
export function greedyCoreset(points: Float32Array, count: number, dim: number, take: number, start: number): Int32Array {
  const chosen = new Int32Array(Math.min(take, count));
  const minDist = new Float32Array(count).fill(Infinity);
  let next = start;
  for (let s = 0; s < chosen.length; s++) {
    chosen[s] = next;
    const c = next * dim;
    let farthest = 0;
    let farthestDist = -1;
    for (let p = 0; p < count; p++) {
      const base = p * dim;
      let d = 0;
      for (let j = 0; j < dim; j++) {
        const diff = (points[base + j] as number) - (points[c + j] as number);
        d += diff * diff;
      }
      if (d < (minDist[p] as number)) minDist[p] = d;
      if ((minDist[p] as number) > farthestDist) {
        farthestDist = minDist[p] as number;
        farthest = p;
      }
    }
    next = farthest;
  }
  return chosen;
}

/** Indices of `take` of `count` rows chosen by greedy k-center on a `projectionDim` projection. */
export function coresetIndices(rows: Float32Array, count: number, dim: number, take: number, projectionDim: number, random: () => number): Int32Array {
  if (take >= count) return Int32Array.from({ length: count }, (_, i) => i);
  const k = Math.min(projectionDim, dim);
  return greedyCoreset(randomProjection(rows, count, dim, k, random), count, k, take, Math.floor(random() * count));
}
