import { tf } from '../tfjsRuntime';

/**
 * tfjs-wasm's batched product is far slower per item than its plain 2-D product when the batch is
 * small: [4,196,24]x[4,24,196] measured 16 ms batched against 3.3 ms as four 2-D products (one
 * 2-D product: 0.4 ms). Attention at inference (one image, a few heads) is exactly that case. At
 * a batch of 32 (training) the two are even or batched wins, so only small batches are split.
 */
const SPLIT_BATCH_MAX = 8;

export function product(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const batch = a.rank === 3 ? (a.shape[0] as number) : 1;
  if (a.rank !== 3 || batch === 1 || batch > SPLIT_BATCH_MAX) return tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D);
  // Slices rather than tf.unstack: wasm's Unpack kernel costs more than the products saved.
  return tf.tidy(() => {
    const [, m, k] = a.shape as [number, number, number];
    const n = b.shape[2] as number;
    const items = Array.from({ length: batch }, (_, i) => tf.matMul(a.slice([i, 0, 0], [1, m, k]).reshape([m, k]), b.slice([i, 0, 0], [1, k, n]).reshape([k, n])));
    return tf.stack(items);
  });
}

/**
 * Matrix product whose gradient uses explicit transposes and plain products. The stock matMul
 * gradient calls matMul with transposeA/transposeB, which tfjs-wasm runs 15-50x slower than a
 * transpose followed by a plain product (DESIGN.md section 2); this makes training's backward
 * pass cost about what the forward pass does. Works for 2-D [m,k]x[k,n] and batched 3-D
 * [b,m,k]x[b,k,n] operands.
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

export const fastMatMul = tf.customGrad(productWithFastGradient as unknown as Parameters<typeof tf.customGrad>[0]) as (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;

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

export const dataMatMul = tf.customGrad(dataTimesWeight as unknown as Parameters<typeof tf.customGrad>[0]) as (x: tf.Tensor, w: tf.Tensor) => tf.Tensor;
