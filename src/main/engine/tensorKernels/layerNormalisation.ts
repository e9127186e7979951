import { tf } from '../tfjsRuntime';
import { kernelMode } from './kernelMode';

/** (x - mean) / sqrt(variance + epsilon) * gamma + beta over the last axis, as tfjs composes it. */
export function referenceLayerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return x.sub(mean).div(variance.add(epsilon).sqrt()).mul(gamma).add(beta);
}

/**
 * Layer normalisation with its gradient written out (fewer ops and saved tensors than autodiff
 * through moments): with n = (x - mean) r, r = 1 / sqrt(variance + epsilon) and g = dy gamma,
 *   dx = r (g - mean(g) - n mean(g n)),  dgamma = sum(dy n),  dbeta = sum(dy).
 */
function fusedLayerNorm(epsilon: number) {
  return tf.customGrad(((x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, save: tf.GradSaveFunc) => {
    const { y, n, r } = tf.tidy(() => {
      const centred = x.sub(x.mean(-1, true));
      const r = centred.square().mean(-1, true).add(epsilon).rsqrt();
      const n = centred.mul(r);
      return { n, r, y: n.mul(gamma).add(beta) };
    });
    save([n, r, gamma]);
    tf.dispose([n, r]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sn, sr, sg] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
        const width = sg.shape[0] as number;
        const g = dy.mul(sg);
        const dx = g
          .sub(g.mean(-1, true))
          .sub(sn.mul(g.mul(sn).mean(-1, true)))
          .mul(sr);
        const rows = dy.reshape([-1, width]);
        return [dx, rows.mul(sn.reshape([-1, width])).sum(0), rows.sum(0)];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => tf.Tensor;
}

const byEpsilon = new Map<number, ReturnType<typeof fusedLayerNorm>>();

export function layerNormalise(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number): tf.Tensor {
  if (kernelMode() === 'reference') return referenceLayerNorm(x, gamma, beta, epsilon);
  let op = byEpsilon.get(epsilon);
  if (!op) {
    op = fusedLayerNorm(epsilon);
    byEpsilon.set(epsilon, op);
  }
  return op(x, gamma, beta);
}
