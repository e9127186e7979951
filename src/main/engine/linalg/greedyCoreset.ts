import { tf } from '../tfjsRuntime';

/**
 * Greedy k-center selection (PatchCore's coreset): a subset of points such that every point lies
 * close to one of them, which keeps rare normal patterns that a k-means would average away.
 */

/** Gaussian random projection of every row to `k` dims (the Johnson-Lindenstrauss trick), as one matrix product. */
export function randomProjection(rows: Float32Array, count: number, dim: number, k: number, random: () => number): Float32Array {
  const matrix = new Float32Array(dim * k);
  for (let i = 0; i < matrix.length; i++) {
    // Box-Muller
    const u = Math.max(random(), 1e-12);
    matrix[i] = (Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random())) / Math.sqrt(k);
  }
  const projected = tf.tidy(() => tf.matMul(tf.tensor2d(rows, [count, dim]), tf.tensor2d(matrix, [dim, k])));
  const out = projected.dataSync() as Float32Array;
  projected.dispose();
  return out;
}

function squaredDistance(points: Float32Array, a: number, b: number, dim: number): number {
  let d = 0;
  for (let j = 0; j < dim; j++) {
    const diff = (points[a + j] as number) - (points[b + j] as number);
    d += diff * diff;
  }
  return d;
}

/**
 * Repeatedly takes the point farthest from everything chosen so far, starting at `start`. Exact,
 * with the triangle inequality skipping points the new center cannot be nearer to: with c the
 * point's nearest chosen center, |p - new| >= |new - c| - |p - c|, so when |new - c| >= 2 |p - c|
 * the new center changes nothing for p. Late centers are close to few points, so most are skipped.
 */
export function greedyCoreset(points: Float32Array, count: number, dim: number, take: number, start: number): Int32Array {
  return greedyCoresetCover(points, count, dim, take, start).indices;
}

/** A coreset and how well it covers: every point's squared distance to its nearest chosen point. */
export interface CoresetCover {
  indices: Int32Array;
  squaredDistances: Float32Array;
}

function greedyCoresetCover(points: Float32Array, count: number, dim: number, take: number, start: number): CoresetCover {
  const chosen = new Int32Array(Math.min(take, count));
  const minDist = new Float32Array(count).fill(Infinity);
  const nearest = new Int32Array(count).fill(-1);
  const centerGap = new Float64Array(chosen.length);
  let next = start;
  for (let s = 0; s < chosen.length; s++) {
    chosen[s] = next;
    const c = next * dim;
    for (let t = 0; t < s; t++) centerGap[t] = squaredDistance(points, c, (chosen[t] as number) * dim, dim);
    let farthest = 0;
    let farthestDist = -1;
    for (let p = 0; p < count; p++) {
      const own = nearest[p] as number;
      // |new - c|^2 >= 4 |p - c|^2: the new center cannot be nearer.
      if (own < 0 || (centerGap[own] as number) < 4 * (minDist[p] as number)) {
        const d = squaredDistance(points, p * dim, c, dim);
        if (d < (minDist[p] as number)) {
          minDist[p] = d;
          nearest[p] = s;
        }
      }
      if ((minDist[p] as number) > farthestDist) {
        farthestDist = minDist[p] as number;
        farthest = p;
      }
    }
    next = farthest;
  }
  return { indices: chosen, squaredDistances: minDist };
}

/** Indices of `take` of `count` rows chosen by greedy k-center on a `projectionDim` projection. */
export function coresetIndices(
  rows: Float32Array,
  count: number,
  dim: number,
  take: number,
  projectionDim: number,
  random: () => number,
): Int32Array {
  return coresetCover(rows, count, dim, take, projectionDim, random).indices;
}

/** coresetIndices with each row's squared distance to its nearest chosen row (measured on the projection). */
export function coresetCover(
  rows: Float32Array,
  count: number,
  dim: number,
  take: number,
  projectionDim: number,
  random: () => number,
): CoresetCover {
  if (take >= count) return { indices: Int32Array.from({ length: count }, (_, i) => i), squaredDistances: new Float32Array(count) };
  const k = Math.min(projectionDim, dim);
  return greedyCoresetCover(randomProjection(rows, count, dim, k, random), count, k, take, Math.floor(random() * count));
}
