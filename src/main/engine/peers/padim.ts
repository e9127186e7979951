import { invertSpd } from '../linalg/cholesky';
import { seededRandom, seededShuffle } from '../seededRandom';

/**
 * PaDiM (Defard et al., 2020): a Gaussian per token position over a random subset of channels;
 * a token's score is its Mahalanobis distance to that position's Gaussian.
 */
export interface PadimModel {
  kind: 'padim';
  positions: number;
  channels: Int32Array;
  /** [positions, d] */
  mean: Float32Array;
  /** [positions, d, d] inverse covariance */
  precision: Float32Array;
}

export interface PadimOptions {
  /** Channels kept (random subset, as in the paper). */
  reducedDim?: number;
  /** Ridge added to each covariance diagonal (the paper's 0.01). */
  epsilon?: number;
  seed?: number;
}

/** Fits on `count` images of `positions` tokens with `dim` channels each ([count, positions, dim]). */
export function fitPadim(tokens: Float32Array, count: number, positions: number, dim: number, options: PadimOptions = {}): PadimModel {
  if (tokens.length !== count * positions * dim) throw new Error('Token array does not match count x positions x dim');
  if (count < 1) throw new Error('PaDiM needs at least one training image');
  const d = Math.min(options.reducedDim ?? 100, dim);
  const epsilon = options.epsilon ?? 0.01;
  const channels = Int32Array.from(
    seededShuffle(
      Array.from({ length: dim }, (_, i) => i),
      seededRandom(options.seed ?? 0),
    )
      .slice(0, d)
      .sort((a, b) => a - b),
  );
  const mean = new Float32Array(positions * d);
  const precision = new Float32Array(positions * d * d);
  const x = new Float64Array(count * d);
  const mu = new Float64Array(d);
  const cov = new Float64Array(d * d);
  for (let p = 0; p < positions; p++) {
    mu.fill(0);
    for (let n = 0; n < count; n++) {
      const base = (n * positions + p) * dim;
      for (let k = 0; k < d; k++) {
        const v = tokens[base + (channels[k] as number)] as number;
        x[n * d + k] = v;
        mu[k] = (mu[k] as number) + v / count;
      }
    }
    for (let n = 0; n < count; n++) for (let k = 0; k < d; k++) x[n * d + k] = (x[n * d + k] as number) - (mu[k] as number);
    cov.fill(0);
    const denominator = Math.max(count - 1, 1);
    for (let n = 0; n < count; n++) {
      const row = n * d;
      for (let i = 0; i < d; i++) {
        const xi = (x[row + i] as number) / denominator;
        if (xi === 0) continue;
        for (let j = 0; j <= i; j++) cov[i * d + j] = (cov[i * d + j] as number) + xi * (x[row + j] as number);
      }
    }
    for (let i = 0; i < d; i++) {
      cov[i * d + i] = (cov[i * d + i] as number) + epsilon;
      for (let j = 0; j < i; j++) cov[j * d + i] = cov[i * d + j] as number;
    }
    mean.set(mu, p * d);
    precision.set(invertSpd(cov, d), p * d * d);
  }
  return { kind: 'padim', positions, channels, mean, precision };
}

/** Mahalanobis distance of each token of one image ([positions, dim]) to its position's Gaussian. */
export function scorePadim(model: PadimModel, tokens: Float32Array, dim: number): Float32Array {
  const d = model.channels.length;
  const scores = new Float32Array(model.positions);
  const diff = new Float64Array(d);
  for (let p = 0; p < model.positions; p++) {
    for (let k = 0; k < d; k++) diff[k] = (tokens[p * dim + (model.channels[k] as number)] as number) - (model.mean[p * d + k] as number);
    let sum = 0;
    const base = p * d * d;
    for (let i = 0; i < d; i++) {
      let row = 0;
      for (let j = 0; j < d; j++) row += (model.precision[base + i * d + j] as number) * (diff[j] as number);
      sum += (diff[i] as number) * row;
    }
    scores[p] = Math.sqrt(Math.max(sum, 0));
  }
  return scores;
}
