import { tokenDim, type TokenMaps } from '../features/tokenMaps';
import { fitPadim, scorePadim } from './padim';
import { fitPatchcore, patchcoreScorer } from './patchcore';

export const PEER_METHODS = ['padim', 'patchcore'] as const;
export type PeerMethod = (typeof PEER_METHODS)[number];

/** Scores every token of one image ([grid*grid, dim]) — higher is more anomalous. */
export interface TokenScorer {
  /** Synchronous for the peers; a model's heads on onnxruntime answer asynchronously. */
  scoreTokens(tokens: Float32Array): Float32Array | Promise<Float32Array>;
  dispose(): void | Promise<void>;
}

/** Fits a peer method on one class's training token maps. */
export function fitPeer(method: PeerMethod, train: TokenMaps, seed = 0): TokenScorer {
  const dim = tokenDim(train);
  const positions = train.grid * train.grid;
  if (method === 'padim') {
    const model = fitPadim(train.data, train.count, positions, dim, { seed });
    return { scoreTokens: (tokens) => scorePadim(model, tokens, dim), dispose: () => {} };
  }
  const scorer = patchcoreScorer(fitPatchcore(train.data, train.count * positions, dim, { seed }));
  return { scoreTokens: (tokens) => scorer.score(tokens, positions), dispose: () => scorer.dispose() };
}
