import { tf } from '../tfjsRuntime';
import { unstackBatch } from './batchUnstack';
import { kernelMode } from './kernelMode';

/**
 * On tfjs-wasm a batched product of large items runs as one plain 2-D product per item:
 * wasm's batched kernel is several times slower per item than its 2-D one ([32,196,196]x[32,196,32]:
 * 24 ms batched, about 7 ms as 32 2-D products), and the items are split by a heap-view kernel
 * (batchUnstack.ts) instead of Slice, which copied the whole batch per item. The reference mode is
 * the path before that change: slices for batches up to 8, the batched kernel above.
 */
const REFERENCE_SPLIT_BATCH_MAX = 8;

function referenceProduct(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const batch = a.rank === 3 ? (a.shape[0] as number) : 1;
  if (a.rank !== 3 || batch === 1 || batch > REFERENCE_SPLIT_BATCH_MAX) return tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D);
  return tf.tidy(() => {
    const [, m, k] = a.shape as [number, number, number];
    const n = b.shape[2] as number;
    const items = Array.from({ length: batch }, (_, i) =>
      tf.matMul(a.slice([i, 0, 0], [1, m, k]).reshape([m, k]), b.slice([i, 0, 0], [1, k, n]).reshape([k, n])),
    );
    return tf.stack(items);
  });
}

/**
 * Items smaller than this many multiply-adds stay in the batched kernel: for them one call per item
 * costs more than the 2-D kernel saves (measured on 2 cores: the text tower's attention,
 * [32,6,16]x[32,16,6], 0.03 ms batched against 1.8 ms split; [8,196,2]x[8,2,128], 50k per item,
 * 1.1 ms batched against 0.24 ms split; the crossover lay near 32^3).
 */
const SPLIT_MIN_ITEM_MACS = 32 ** 3;

function splitsPerItem(a: tf.Tensor, b: tf.Tensor): boolean {
  if (a.rank !== 3 || a.shape[0] === 1 || tf.getBackend() !== 'wasm') return false;
  const [, m, k] = a.shape as [number, number, number];
  return m * k * (b.shape[2] as number) > SPLIT_MIN_ITEM_MACS;
}

/** a.b for 2-D [m,k]x[k,n] or batched [n,m,k]x[n,k,p]; no gradient of its own (see fastMatMul). */
export function product(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  if (kernelMode() === 'reference') return referenceProduct(a, b);
  if (!splitsPerItem(a, b)) return tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D);
  return tf.tidy(() => {
    const [batch, m] = a.shape as [number, number, number];
    const p = b.shape[2] as number;
    const [as, bs] = [unstackBatch(a), unstackBatch(b)];
    const items = as.map((item, i) => tf.matMul(item as tf.Tensor2D, bs[i] as tf.Tensor2D));
    return tf.concat(items).reshape([batch, m, p]);
  });
}

/**
 * Matrix product whose gradient uses explicit transposes and plain products. The stock matMul
 * gradient calls matMul with transposeA/transposeB, which tfjs-wasm runs 15-50x slower than a
 * transpose followed by a plain product (docs/ARCHITECTURE.md, Training kernels); this makes
 * training's backward pass cost about what the forward pass does. Works for 2-D [m,k]x[k,n] and
 * batched 3-D [b,m,k]x[b,k,n] operands.
 */
const productWithFastGradient = (a: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
  save([a, b]);
  const swapLast = (t: tf.Tensor) => (t.rank === 2 ? tf.transpose(t) : tf.transpose(t, [0, 2, 1]));
  return {
    value: product(a, b),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as [tf.Tensor, tf.Tensor];
      return [product(dy, swapLast(sb)), product(swapLast(sa), dy)];
    },
  };
};

export const fastMatMul = tf.customGrad(productWithFastGradient as unknown as Parameters<typeof tf.customGrad>[0]) as (
  a: tf.Tensor,
  b: tf.Tensor,
) => tf.Tensor;

/**
 * x.w where x is data (no gradient wanted): the backward pass computes only the weight gradient,
 * saving the x-side product that fastMatMul would compute and throw away (the input projections
 * of the token maps are the widest products in training).
 */
const dataTimesWeight = (x: tf.Tensor, w: tf.Tensor, save: tf.GradSaveFunc) => {
  save([x]);
  return {
    value: tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx] = saved as [tf.Tensor];
      return [tf.zerosLike(sx), tf.matMul(tf.transpose(sx) as tf.Tensor2D, dy as tf.Tensor2D)];
    },
  };
};

export const dataMatMul = tf.customGrad(dataTimesWeight as unknown as Parameters<typeof tf.customGrad>[0]) as (
  x: tf.Tensor,
  w: tf.Tensor,
) => tf.Tensor;
