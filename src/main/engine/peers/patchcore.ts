import { seededRandom } from '../seededRandom';
import { NearestNeighbourIndex } from './nearestNeighbourIndex';

/**
 * PatchCore (Roth et al., 2022): a per-class memory bank of training tokens, thinned by a greedy
 * k-center coreset; a token's score is the distance to its nearest bank entry.
 */
export interface PatchcoreModel {
  kind: 'patchcore';
  dim: number;
  /** [size, dim] */
  bank: Float32Array;
  size: number;
}

export interface PatchcoreOptions {
  /** Fraction of training tokens kept (the paper's 10% / 1%). */
  coresetRatio?: number;
  /** Upper bound on the bank, to keep CPU scoring and selection bounded. */
  maxBank?: number;
  /** Random-projection width used only to choose the coreset (the paper's Johnson-Lindenstrauss trick). */
  projectionDim?: number;
  seed?: number;
}

/** Gaussian random projection of every row to `k` dims. */
function project(rows: Float32Array, count: number, dim: number, k: number, random: () => number): Float32Array {
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

/** Greedy k-center selection: repeatedly take the point farthest from everything chosen so far. */
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

/** Fits on all tokens of the training images ([tokenCount, dim]). */
export function fitPatchcore(tokens: Float32Array, tokenCount: number, dim: number, options: PatchcoreOptions = {}): PatchcoreModel {
  if (tokens.length !== tokenCount * dim) throw new Error('Token array does not match tokenCount x dim');
  const ratio = options.coresetRatio ?? 0.1;
  const take = Math.max(1, Math.min(Math.ceil(tokenCount * ratio), options.maxBank ?? 6000, tokenCount));
  const random = seededRandom(options.seed ?? 0);
  let indices: Int32Array;
  if (take >= tokenCount) {
    indices = Int32Array.from({ length: tokenCount }, (_, i) => i);
  } else {
    const k = Math.min(options.projectionDim ?? 128, dim);
    indices = greedyCoreset(project(tokens, tokenCount, dim, k, random), tokenCount, k, take, Math.floor(random() * tokenCount));
  }
  const bank = new Float32Array(indices.length * dim);
  indices.forEach((index, i) => bank.set(tokens.subarray(index * dim, (index + 1) * dim), i * dim));
  return { kind: 'patchcore', dim, bank, size: indices.length };
}

/** A scorer that keeps the bank on the tfjs backend; dispose() when done. */
export function patchcoreScorer(model: PatchcoreModel): { score(tokens: Float32Array, positions: number): Float32Array; dispose(): void } {
  const index = new NearestNeighbourIndex(model.bank, model.size, model.dim);
  return {
    score: (tokens, positions) => index.nearestDistances(tokens, positions),
    dispose: () => index.dispose(),
  };
}
