import { tf } from '../tfjsRuntime';

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
    value: tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as [tf.Tensor, tf.Tensor];
      return [tf.matMul(dy as tf.Tensor2D, swapLast(sb) as tf.Tensor2D), tf.matMul(swapLast(sa) as tf.Tensor2D, dy as tf.Tensor2D)];
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
