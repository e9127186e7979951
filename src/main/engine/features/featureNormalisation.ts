/** Per-channel mean and standard deviation of training tokens; stored with each model version. */
export interface FeatureNormalisation {
  mean: Float32Array;
  std: Float32Array;
}

/** Over `rows` tokens of `dim` channels. Channels that never vary get std 1 (left unscaled). */
export function computeNormalisation(tokens: Float32Array, rows: number, dim: number): FeatureNormalisation {
  if (tokens.length !== rows * dim) throw new Error('Token array does not match rows x dim');
  const sum = new Float64Array(dim);
  const sumSq = new Float64Array(dim);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < dim; k++) {
      const v = tokens[r * dim + k] as number;
      sum[k] = (sum[k] as number) + v;
      sumSq[k] = (sumSq[k] as number) + v * v;
    }
  }
  return normalisationFromSums(sum, sumSq, rows);
}

/** From per-channel sums and sums of squares over `rows` tokens (for data streamed in pieces). */
export function normalisationFromSums(sum: Float64Array, sumSq: Float64Array, rows: number): FeatureNormalisation {
  const dim = sum.length;
  const mean = new Float32Array(dim);
  const std = new Float32Array(dim);
  for (let k = 0; k < dim; k++) {
    const m = (sum[k] as number) / rows;
    const variance = Math.max((sumSq[k] as number) / rows - m * m, 0);
    mean[k] = m;
    std[k] = variance > 1e-12 ? Math.sqrt(variance) : 1;
  }
  return { mean, std };
}

export function standardise(tokens: Float32Array, norm: FeatureNormalisation): Float32Array {
  const dim = norm.mean.length;
  const out = new Float32Array(tokens.length);
  for (let i = 0; i < tokens.length; i++) {
    const k = i % dim;
    out[i] = ((tokens[i] as number) - (norm.mean[k] as number)) / (norm.std[k] as number);
  }
  return out;
}
