import { tf } from '../tfjsRuntime';

/**
 * Exact nearest-neighbour distances from query rows to a fixed bank, as one matrix product: |q -
 * b|^2 = |q|^2 + |b|^2 - 2 q.b. The bank is stored transposed once, because tfjs-wasm's matMul with
 * transposeB is many times slower than a plain product (docs/ARCHITECTURE.md, Training kernels).
 */
export class NearestNeighbourIndex {
  private readonly bankT: tf.Tensor2D;
  private readonly bankNorms: tf.Tensor2D;

  constructor(
    bank: Float32Array,
    readonly size: number,
    readonly dim: number,
  ) {
    if (bank.length !== size * dim) throw new Error('Bank does not match size x dim');
    if (size < 1) throw new Error('The bank is empty');
    [this.bankT, this.bankNorms] = tf.tidy(() => {
      const b = tf.tensor2d(bank, [size, dim]);
      return [tf.keep(b.transpose() as tf.Tensor2D), tf.keep(b.square().sum(1).reshape([1, size]) as tf.Tensor2D)];
    });
  }

  /** Euclidean distance from each of `rows` queries to its nearest bank entry. */
  nearestDistances(queries: Float32Array, rows: number): Float32Array {
    if (queries.length !== rows * this.dim) throw new Error('Queries do not match rows x dim');
    // Read the values outside tidy: tidy walks whatever it returns, element by element.
    const distances = tf.tidy(() => {
      const q = tf.tensor2d(queries, [rows, this.dim]);
      const d2 = q.square().sum(1, true).add(this.bankNorms).sub(q.matMul(this.bankT).mul(2));
      return d2.min(1).maximum(0).sqrt();
    });
    const values = distances.dataSync() as Float32Array;
    distances.dispose();
    return values;
  }

  dispose(): void {
    tf.dispose([this.bankT, this.bankNorms]);
  }
}
