import { dataMatMul, fastMatMul } from '../tensorKernels/fastMatMul';
import { gelu } from '../tensorKernels/gelu';
import { layerNormalise } from '../tensorKernels/layerNormalisation';
import { tf } from '../tfjsRuntime';
import type { ParameterStore } from './parameterStore';

/**
 * x [..., inDim] -> [..., outDim]; rank-3 inputs are flattened so the product stays 2-D.
 * `xIsData` skips the gradient with respect to x (for layers that read the token maps directly).
 */
export function dense(store: ParameterStore, name: string, x: tf.Tensor, outDim: number, bias = true, xIsData = false): tf.Tensor {
  const inDim = x.shape[x.rank - 1] as number;
  const w = store.use(`${name}/w`, [inDim, outDim], 'glorot');
  const flat = x.reshape([-1, inDim]);
  let y = xIsData ? dataMatMul(flat, w) : fastMatMul(flat, w);
  if (bias) y = y.add(store.use(`${name}/b`, [outDim], 'zeros'));
  return y.reshape([...x.shape.slice(0, -1), outDim]);
}

export function layerNorm(store: ParameterStore, name: string, x: tf.Tensor, epsilon = 1e-5): tf.Tensor {
  const dim = x.shape[x.rank - 1] as number;
  return layerNormalise(x, store.use(`${name}/gamma`, [dim], 'ones'), store.use(`${name}/beta`, [dim], 'zeros'), epsilon);
}

export function feedForward(store: ParameterStore, name: string, x: tf.Tensor, hidden: number): tf.Tensor {
  const width = x.shape[x.rank - 1] as number;
  return dense(store, `${name}/out`, gelu(dense(store, `${name}/in`, x, hidden)), width);
}

/**
 * Multi-head attention: queries [b, t, w] attend to keys/values [b, s, w]. `mask` is an additive
 * [t, s] tensor (0 = allowed, large negative = blocked), e.g. the 7x7 neighbour mask of the
 * reconstruction module or the causal mask of the text tower.
 */
export function attention(
  store: ParameterStore,
  name: string,
  queries: tf.Tensor,
  keysValues: tf.Tensor,
  heads: number,
  mask?: tf.Tensor,
): tf.Tensor {
  const [b, t, w] = queries.shape as [number, number, number];
  const s = keysValues.shape[1] as number;
  if (w % heads !== 0) throw new Error(`Width ${w} is not divisible by ${heads} heads`);
  const dh = w / heads;
  const split = (x: tf.Tensor, len: number) =>
    x
      .reshape([b, len, heads, dh])
      .transpose([0, 2, 1, 3])
      .reshape([b * heads, len, dh]);
  const q = split(dense(store, `${name}/q`, queries, w), t);
  const k = split(dense(store, `${name}/k`, keysValues, w), s);
  const v = split(dense(store, `${name}/v`, keysValues, w), s);
  let scores = fastMatMul(q, k.transpose([0, 2, 1])).mul(1 / Math.sqrt(dh));
  if (mask) scores = scores.add(mask);
  const mixed = fastMatMul(tf.softmax(scores), v);
  const merged = mixed.reshape([b, heads, t, dh]).transpose([0, 2, 1, 3]).reshape([b, t, w]);
  return dense(store, `${name}/o`, merged, w);
}

/**
 * UniAD's neighbour mask: grid token i may NOT attend to token j when j lies in the k x k window
 * around i (itself included), so a query cannot copy its own input through attention and must
 * reconstruct it from its surroundings.
 */
export function neighbourMask(grid: number, window: number): tf.Tensor2D {
  const n = grid * grid;
  return tf.tensor2d(neighbourMaskValues(grid, window), [n, n]);
}

/** The neighbour mask's values, [grid^2 * grid^2] row-major. */
export function neighbourMaskValues(grid: number, window: number): Float32Array {
  const n = grid * grid;
  const values = new Float32Array(n * n);
  const r = Math.floor(window / 2);
  for (let i = 0; i < n; i++) {
    const [yi, xi] = [Math.floor(i / grid), i % grid];
    for (let j = 0; j < n; j++) {
      const [yj, xj] = [Math.floor(j / grid), j % grid];
      values[i * n + j] = Math.abs(yi - yj) <= r && Math.abs(xi - xj) <= r ? -1e9 : 0;
    }
  }
  return values;
}

/** Additive causal mask for a sequence of length n (each position sees itself and the past). */
export function causalMask(n: number): tf.Tensor2D {
  return tf.tensor2d(causalMaskValues(n), [n, n]);
}

export function causalMaskValues(n: number): Float32Array {
  const values = new Float32Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) values[i * n + j] = -1e9;
  return values;
}

/** One-hot rows [n, depth] as floats; tfjs refuses depth 1, which a station with one product has. */
export function oneHotRows(index: tf.Tensor1D, depth: number): tf.Tensor2D {
  if (depth === 1) return tf.ones([index.shape[0], 1]);
  return tf.oneHot(index, depth).toFloat() as tf.Tensor2D;
}

/**
 * table[index] along the first axis, as a one-hot product: differentiable on the wasm backend,
 * which lacks the UnsortedSegmentSum kernel that gather's gradient needs.
 */
export function selectRows(table: tf.Tensor, index: tf.Tensor1D): tf.Tensor {
  const rows = table.shape[0] as number;
  const rest = table.shape.slice(1);
  const picked = fastMatMul(oneHotRows(index, rows), table.reshape([rows, -1]));
  return picked.reshape([index.shape[0], ...rest]);
}
