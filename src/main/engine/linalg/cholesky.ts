/**
 * Inverse of a symmetric positive-definite d x d matrix (row-major, float64) via Cholesky:
 * A = L L^T, A^-1 = L^-T L^-1. Throws when A is not positive definite.
 */
export function invertSpd(a: Float64Array, d: number): Float64Array {
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * d + j] as number;
      for (let k = 0; k < j; k++) sum -= (l[i * d + k] as number) * (l[j * d + k] as number);
      if (i === j) {
        if (sum <= 0) throw new Error('Matrix is not positive definite');
        l[i * d + i] = Math.sqrt(sum);
      } else {
        l[i * d + j] = sum / (l[j * d + j] as number);
      }
    }
  }
  // Invert L (lower triangular) in place into m.
  const m = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    m[i * d + i] = 1 / (l[i * d + i] as number);
    for (let j = 0; j < i; j++) {
      let sum = 0;
      for (let k = j; k < i; k++) sum -= (l[i * d + k] as number) * (m[k * d + j] as number);
      m[i * d + j] = sum / (l[i * d + i] as number);
    }
  }
  // A^-1 = M^T M
  const inv = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = 0;
      for (let k = i; k < d; k++) sum += (m[k * d + i] as number) * (m[k * d + j] as number);
      inv[i * d + j] = sum;
      inv[j * d + i] = sum;
    }
  }
  return inv;
}
