import { euclideanNorm } from '../tensorKernels/euclideanNorm';
import { gatherRows } from '../tensorKernels/gatherRows';
import { tf } from '../tfjsRuntime';

/** Where and how phase 2 corrupts a batch of token maps. */
export interface PseudoAnomalyPlan {
  /** 1 where a token is a pseudo-anomaly, [batch * tokens]. */
  labels: Float32Array;
  /** For every token, the row (in batch * tokens) its features come from: itself unless swapped in. */
  sources: Int32Array;
  /** 1 where a pseudo-anomalous token gets strong noise. */
  noisy: Float32Array;
  /** Multiplier of each token's features: below 1 where a region is attenuated, else 1. */
  gain: Float32Array;
}

/**
 * Rectangles of tokens per map, each one of three kinds: noised (UniAD-style feature noise, much
 * stronger than the everywhere-jitter), swapped for tokens from another map at other positions
 * (something that does not belong at that place in that product), or attenuated (features
 * scaled down, as over a hole, a dark spot or a missing piece). Noise alone teaches the semantic
 * branch that "abnormal" means "noisy", which real defects are not.
 */
export function planPseudoAnomalies(batch: number, grid: number, maxRegions: number, random: () => number): PseudoAnomalyPlan {
  const tokens = grid * grid;
  const labels = new Float32Array(batch * tokens);
  const noisy = new Float32Array(batch * tokens);
  const gain = new Float32Array(batch * tokens).fill(1);
  const sources = Int32Array.from({ length: batch * tokens }, (_, i) => i);
  for (let b = 0; b < batch; b++) {
    const regions = 1 + Math.floor(random() * maxRegions);
    for (let r = 0; r < regions; r++) {
      const side = Math.max(1, Math.floor(grid / 3));
      const [h, w] = [1 + Math.floor(random() * side), 1 + Math.floor(random() * side)];
      const [y0, x0] = [Math.floor(random() * (grid - h + 1)), Math.floor(random() * (grid - w + 1))];
      const kind = Math.floor(random() * 3);
      const swap = batch > 1 && kind === 1;
      const attenuate = kind === 2 ? 0.1 + random() * 0.5 : 1;
      const other = swap ? (b + 1 + Math.floor(random() * (batch - 1))) % batch : b;
      const [sy, sx] = [Math.floor(random() * (grid - h + 1)), Math.floor(random() * (grid - w + 1))];
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const t = b * tokens + (y0 + y) * grid + (x0 + x);
          labels[t] = 1;
          if (swap) sources[t] = other * tokens + (sy + y) * grid + (sx + x);
          else if (attenuate < 1) gain[t] = attenuate;
          else noisy[t] = 1;
        }
      }
    }
  }
  return { labels, sources, noisy, gain };
}

/** Applies a plan to clean maps [b, t, c]: swaps and attenuation, then jitter everywhere plus strong noise where planned. */
export function corruptTokens(clean: tf.Tensor, plan: PseudoAnomalyPlan, options: { jitterScale: number; anomalyNoiseScale: number; seed: number }): tf.Tensor {
  return tf.tidy(() => {
    const [b, t, c] = clean.shape as [number, number, number];
    const swapped = gatherRows(clean.reshape([b * t, c]) as tf.Tensor2D, plan.sources).reshape([b, t, c]).mul(tf.tensor3d(plan.gain, [b, t, 1]));
    const unit = euclideanNorm(swapped).div(c);
    const strength = tf.tensor3d(plan.noisy, [b, t, 1]).mul(options.anomalyNoiseScale - options.jitterScale).add(options.jitterScale);
    return swapped.add(tf.randomNormal([b, t, c], 0, 1, 'float32', options.seed).mul(unit).mul(strength));
  });
}
