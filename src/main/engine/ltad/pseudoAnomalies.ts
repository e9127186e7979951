import { euclideanNorm } from '../tensorKernels/euclideanNorm';
import { gatherRows } from '../tensorKernels/gatherRows';
import { seededNormals } from '../seededNormals';
import { tf } from '../tfjsRuntime';
import type { TrainingRows } from './trainingRows';

/**
 * Where and how phase 2 corrupts one token map. Each sample's plan stands alone (its donor is a
 * training row, not another map of the batch), so a batch can be split across workers and give
 * the same result.
 */
export interface SampleAnomalyPlan {
  /** 1 where a token is a pseudo-anomaly, [tokens]. */
  labels: Float32Array;
  /** For every token, where its features come from: t for the map itself, tokens + t for the donor's token t. */
  sources: Int32Array;
  /** 1 where a pseudo-anomalous token gets strong noise. */
  noisy: Float32Array;
  /** Multiplier of each token's features: below 1 where a region is attenuated, else 1. */
  gain: Float32Array;
  /** Training row whose tokens are swapped in, or -1 when nothing is. */
  donorRow: number;
}

/**
 * Rectangles of tokens, each one of three kinds: noised (UniAD-style feature noise, much stronger
 * than the everywhere-jitter), swapped for tokens of another training image at other positions
 * (something that does not belong at that place in that product), or attenuated (features scaled
 * down, as over a hole, a dark spot or a missing piece). Noise alone teaches the semantic branch
 * that "abnormal" means "noisy", which real defects are not. `pickDonor` returns a row other than
 * the sample's own, or -1 when there is none.
 */
export function planSampleAnomalies(grid: number, maxRegions: number, random: () => number, pickDonor: () => number): SampleAnomalyPlan {
  const tokens = grid * grid;
  const labels = new Float32Array(tokens);
  const noisy = new Float32Array(tokens);
  const gain = new Float32Array(tokens).fill(1);
  const sources = Int32Array.from({ length: tokens }, (_, i) => i);
  let donorRow = -1;
  const regions = 1 + Math.floor(random() * maxRegions);
  for (let r = 0; r < regions; r++) {
    const side = Math.max(1, Math.floor(grid / 3));
    const [h, w] = [1 + Math.floor(random() * side), 1 + Math.floor(random() * side)];
    const [y0, x0] = [Math.floor(random() * (grid - h + 1)), Math.floor(random() * (grid - w + 1))];
    const kind = Math.floor(random() * 3);
    if (kind === 1 && donorRow < 0) donorRow = pickDonor();
    const swap = kind === 1 && donorRow >= 0;
    const attenuate = kind === 2 ? 0.1 + random() * 0.5 : 1;
    const [sy, sx] = [Math.floor(random() * (grid - h + 1)), Math.floor(random() * (grid - w + 1))];
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const t = (y0 + y) * grid + (x0 + x);
        labels[t] = 1;
        if (swap) sources[t] = tokens + (sy + y) * grid + (sx + x);
        else if (attenuate < 1) gain[t] = attenuate;
        else noisy[t] = 1;
      }
    }
  }
  return { labels, sources, noisy, gain, donorRow };
}

/** The plan of a painted defect view: its own labels, nothing added but the everywhere-jitter. */
export function defectViewPlan(rows: TrainingRows, view: number): SampleAnomalyPlan {
  const { tokens } = rows;
  if (!rows.views || view < 0 || view >= rows.views.count) throw new Error(`Defect view ${view} does not exist`);
  return {
    labels: rows.views.labels.slice(view * tokens, (view + 1) * tokens),
    sources: Int32Array.from({ length: tokens }, (_, i) => i),
    noisy: new Float32Array(tokens),
    gain: new Float32Array(tokens).fill(1),
    donorRow: -1,
  };
}

export interface CorruptionOptions {
  jitterScale: number;
  anomalyNoiseScale: number;
  /** One noise seed per sample. */
  seeds: readonly number[];
}

/**
 * Applies per-sample plans to clean maps [b, t, c]: swaps (from `donors` [d, t, c], the plans'
 * donor rows in order of first use) and attenuation, then jitter everywhere plus strong noise
 * where planned.
 */
export function corruptTokens(
  clean: tf.Tensor,
  donors: tf.Tensor | undefined,
  plans: readonly SampleAnomalyPlan[],
  options: CorruptionOptions,
): tf.Tensor {
  return tf.tidy(() => {
    const [b, t, c] = clean.shape as [number, number, number];
    const donorSlot = donorSlots(plans);
    const sources = new Int32Array(b * t);
    plans.forEach((plan, i) => {
      for (let k = 0; k < t; k++) {
        const s = plan.sources[k] as number;
        sources[i * t + k] = s < t ? i * t + s : (b + (donorSlot[i] as number)) * t + (s - t);
      }
    });
    const pool = donors ? tf.concat([clean, donors]) : clean;
    const gains = concatPerSample(plans.map((p) => p.gain));
    const swapped = gatherRows(pool.reshape([-1, c]) as tf.Tensor2D, sources)
      .reshape([b, t, c])
      .mul(tf.tensor3d(gains, [b, t, 1]));
    const unit = euclideanNorm(swapped).div(c);
    const strength = tf
      .tensor3d(concatPerSample(plans.map((p) => p.noisy)), [b, t, 1])
      .mul(options.anomalyNoiseScale - options.jitterScale)
      .add(options.jitterScale);
    const noiseValues = new Float32Array(b * t * c);
    options.seeds.forEach((seed, i) => {
      seededNormals(seed, t * c, noiseValues.subarray(i * t * c, (i + 1) * t * c));
    });
    const noise = tf.tensor3d(noiseValues, [b, t, c]);
    return swapped.add(noise.mul(unit).mul(strength));
  });
}

/** Distinct donor rows of the plans, in order of first use. */
export function donorRows(plans: readonly SampleAnomalyPlan[]): number[] {
  return [...new Set(plans.map((p) => p.donorRow).filter((r) => r >= 0))];
}

function donorSlots(plans: readonly SampleAnomalyPlan[]): number[] {
  const rows = donorRows(plans);
  return plans.map((p) => rows.indexOf(p.donorRow));
}

function concatPerSample(parts: readonly Float32Array[]): Float32Array {
  const size = parts[0]?.length ?? 0;
  const out = new Float32Array(parts.length * size);
  parts.forEach((p, i) => out.set(p, i * size));
  return out;
}
