import { seededRandom } from '../seededRandom';
import { coresetIndices } from '../linalg/greedyCoreset';
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

/** Fits on all tokens of the training images ([tokenCount, dim]). */
export function fitPatchcore(tokens: Float32Array, tokenCount: number, dim: number, options: PatchcoreOptions = {}): PatchcoreModel {
  if (tokens.length !== tokenCount * dim) throw new Error('Token array does not match tokenCount x dim');
  const ratio = options.coresetRatio ?? 0.1;
  const take = Math.max(1, Math.min(Math.ceil(tokenCount * ratio), options.maxBank ?? 6000, tokenCount));
  const random = seededRandom(options.seed ?? 0);
  const indices = coresetIndices(tokens, tokenCount, dim, take, options.projectionDim ?? 128, random);
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
