import { tf } from '../tfjsRuntime';
import type { LtadNetwork } from './ltadNetwork';

/** Per-token terms of the LTAD score for a batch of standardised token maps of one class. */
export interface TokenScoreTerms {
  /** S_rec = mean squared reconstruction error per token (LtadNetwork.reconstructionError), [n * tokens]. */
  rec: Float32Array;
  /** S_sem = P(abnormal) per token, [n * tokens]. */
  sem: Float32Array;
}

/** `ownRows`: the training rows the maps are, when they are training images (ltadNetwork.ts, reconstruct). */
export function scoreTerms(
  net: LtadNetwork,
  prompts: tf.Tensor3D,
  standardised: Float32Array,
  count: number,
  classIndex: number,
  ownRows?: readonly number[],
): TokenScoreTerms {
  // Read the values outside tidy: tidy walks whatever it returns, element by element.
  const [rec, semantic] = tf.tidy(() => {
    const x = tf.tensor3d(standardised, [count, net.tokens, net.dim]);
    const classes = tf.fill([count], classIndex, 'int32') as tf.Tensor1D;
    const reconstructionError = net.reconstructionError(x, classes, ownRows);
    const abnormal =
      net.config.ablation === 'no-semantic'
        ? tf.zeros([count, net.tokens])
        : tf
            .softmax(net.semanticLogits(x, prompts, classes))
            .slice([0, 0, 1], [-1, -1, 1])
            .reshape([count, net.tokens]);
    return [reconstructionError, abnormal];
  });
  const terms = { rec: rec.dataSync() as Float32Array, sem: semantic.dataSync() as Float32Array };
  tf.dispose([rec, semantic]);
  return terms;
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
