import { tf } from '../tfjsRuntime';
import type { LtadNetwork } from './ltadNetwork';

/** Per-token terms of the LTAD score for a batch of standardised token maps of one class. */
export interface TokenScoreTerms {
  /** S_rec = mean squared reconstruction error per token (LtadNetwork.reconstructionError), [n * tokens]. */
  rec: Float32Array;
  /** S_sem per token, [n * tokens]: P(abnormal), or its log-odds (SemanticScale). */
  sem: Float32Array;
}

/**
 * How S_sem is expressed (docs/method.md, Scoring). P(abnormal) saturates near 0 on normal
 * tokens, so its spread there is tiny and a z-score against it blows up on any new good part; its
 * log-odds (the difference of the two logits) keeps a spread where it is normal. Models saved
 * before the choice use probabilities.
 */
export type SemanticScale = 'probability' | 'log-odds';

/** The scale every model trained now records. */
export const TRAINED_SEMANTIC_SCALE: SemanticScale = 'log-odds';

/** `ownRows`: the training rows the maps are, when they are training images (ltadNetwork.ts, reconstruct). */
export function scoreTerms(
  net: LtadNetwork,
  prompts: tf.Tensor3D,
  standardised: Float32Array,
  count: number,
  classIndex: number,
  ownRows?: readonly number[],
  semanticScale: SemanticScale = 'probability',
): TokenScoreTerms {
  // Read the values outside tidy: tidy walks whatever it returns, element by element.
  const [rec, semantic] = tf.tidy(() => {
    const x = tf.tensor3d(standardised, [count, net.tokens, net.dim]);
    const classes = tf.fill([count], classIndex, 'int32') as tf.Tensor1D;
    const reconstructionError = net.reconstructionError(x, classes, ownRows);
    const abnormal =
      net.config.ablation === 'no-semantic'
        ? tf.zeros([count, net.tokens])
        : semanticTerm(net.semanticLogits(x, prompts, classes), semanticScale);
    return [reconstructionError, abnormal];
  });
  const terms = { rec: rec.dataSync() as Float32Array, sem: semantic.dataSync() as Float32Array };
  tf.dispose([rec, semantic]);
  return terms;
}

/** S_sem from the semantic logits [n, tokens, 2] (normal, abnormal): P(abnormal) or its log-odds. */
function semanticTerm(logits: tf.Tensor, scale: SemanticScale): tf.Tensor2D {
  const [n, tokens] = logits.shape as [number, number, number];
  const abnormal =
    scale === 'log-odds'
      ? logits.slice([0, 0, 1], [-1, -1, 1]).sub(logits.slice([0, 0, 0], [-1, -1, 1]))
      : tf.softmax(logits).slice([0, 0, 1], [-1, -1, 1]);
  return abnormal.reshape([n, tokens]);
}

/**
 * lambda balances S_rec and S_sem on training normals (docs/method.md, Scoring): the ratio of their
 * standard deviations, so that each term moves the combined score equally. 0 when S_sem is flat.
 */
export function balanceLambda(terms: readonly TokenScoreTerms[]): number {
  const std = (pick: (t: TokenScoreTerms) => Float32Array) => {
    let n = 0;
    let sum = 0;
    let sumSq = 0;
    for (const t of terms)
      for (const v of pick(t)) {
        n++;
        sum += v;
        sumSq += v * v;
      }
    const mean = sum / Math.max(n, 1);
    return Math.sqrt(Math.max(sumSq / Math.max(n, 1) - mean * mean, 0));
  };
  const [rec, sem] = [std((t) => t.rec), std((t) => t.sem)];
  return sem > 1e-9 ? rec / sem : 0;
}

export function combine(terms: TokenScoreTerms, lambda: number): Float32Array {
  return terms.rec.map((r, i) => r + lambda * (terms.sem[i] as number));
}
