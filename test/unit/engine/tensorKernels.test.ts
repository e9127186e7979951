import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dataMatMul, fastMatMul, product } from '../../../src/main/engine/tensorKernels/fastMatMul';
import { unstackBatch } from '../../../src/main/engine/tensorKernels/batchUnstack';
import { euclideanNorm } from '../../../src/main/engine/tensorKernels/euclideanNorm';
import { gatherRows } from '../../../src/main/engine/tensorKernels/gatherRows';
import { gelu, referenceGelu } from '../../../src/main/engine/tensorKernels/gelu';
import { kernelMode, setKernelMode } from '../../../src/main/engine/tensorKernels/kernelMode';
import { layerNormalise, referenceLayerNorm } from '../../../src/main/engine/tensorKernels/layerNormalisation';
import { initTfjs, tf } from '../../../src/main/engine/tfjsRuntime';

beforeAll(async () => {
  await initTfjs();
});

afterEach(() => setKernelMode('fused'));

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => a.sub(b).abs().max().dataSync()[0] as number);
}

describe('fastMatMul', () => {
  it('has the same value and gradients as matMul, in 2-D and batched 3-D', () => {
    for (const [shapeA, shapeB] of [
      [
        [5, 7],
        [7, 3],
      ],
      [
        [4, 5, 6],
        [4, 6, 2],
      ],
    ] as const) {
      const a = tf.randomNormal([...shapeA], 0, 1, 'float32', 1);
      const b = tf.randomNormal([...shapeB], 0, 1, 'float32', 2);
      const loss = (mm: (x: tf.Tensor, y: tf.Tensor) => tf.Tensor) => (x: tf.Tensor, y: tf.Tensor) => mm(x, y).square().sum();
      const stock = tf.grads(loss((x, y) => tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D)))([a, b]);
      const fast = tf.grads(loss(fastMatMul))([a, b]);
      expect(maxAbsDiff(fastMatMul(a, b), tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D))).toBeLessThan(1e-5);
      stock.forEach((g, i) => expect(maxAbsDiff(g, fast[i] as tf.Tensor)).toBeLessThan(1e-4));
      tf.dispose([a, b, ...stock, ...fast]);
    }
  });
});

describe('dataMatMul', () => {
  it('gives the weight the same gradient as matMul and the data none', () => {
    const x = tf.randomNormal([6, 5], 0, 1, 'float32', 3);
    const w = tf.randomNormal([5, 4], 0, 1, 'float32', 4);
    const [gx, gw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => dataMatMul(a, b).square().sum())([x, w]);
    const [, stockW] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf
        .matMul(a as tf.Tensor2D, b as tf.Tensor2D)
        .square()
        .sum(),
    )([x, w]);
    expect(maxAbsDiff(gw as tf.Tensor, stockW as tf.Tensor)).toBeLessThan(1e-4);
    expect((gx as tf.Tensor).abs().sum().dataSync()[0]).toBe(0);
  });
});

describe('unstackBatch', () => {
  it('gives the items of a batch, equal to tf.unstack, without leaking', () => {
    const x = tf.randomNormal([5, 3, 4], 0, 1, 'float32', 1);
    const before = tf.memory().numTensors;
    const fast = unstackBatch(x);
    const stock = tf.unstack(x);
    expect(fast).toHaveLength(5);
    fast.forEach((item, i) => {
      expect(item.shape).toEqual([3, 4]);
      expect(maxAbsDiff(item, stock[i] as tf.Tensor)).toBe(0);
    });
    tf.dispose([...fast, ...stock]);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});

describe('batched products', () => {
  it('equal tfjs matMul for single items, small and large batches, small items and items split one by one', () => {
    for (const [batch, m, k, n] of [
      [1, 7, 5, 6],
      [3, 7, 5, 6],
      [12, 7, 5, 6],
      [3, 40, 30, 40],
    ] as const) {
      const a = tf.randomNormal([batch, m, k], 0, 1, 'float32', batch);
      const b = tf.randomNormal([batch, k, n], 0, 1, 'float32', batch + 1);
      const stock = tf.matMul(a, b);
      const fast = product(a, b);
      expect(fast.shape).toEqual([batch, m, n]);
      expect(maxAbsDiff(fast, stock)).toBeLessThan(1e-5);
      setKernelMode('reference');
      expect(maxAbsDiff(product(a, b), stock)).toBeLessThan(1e-5);
      setKernelMode('fused');
      tf.dispose([a, b, stock, fast]);
    }
  });

  it('give the same gradients as tfjs matMul through fastMatMul, batched', () => {
    const a = tf.randomNormal([6, 4, 5], 0, 1, 'float32', 7);
    const b = tf.randomNormal([6, 5, 3], 0, 1, 'float32', 8);
    const loss = (mm: (x: tf.Tensor, y: tf.Tensor) => tf.Tensor) => (x: tf.Tensor, y: tf.Tensor) => mm(x, y).sin().sum();
    const stock = tf.grads(loss((x, y) => tf.matMul(x as tf.Tensor3D, y as tf.Tensor3D)))([a, b]);
    const fast = tf.grads(loss(fastMatMul))([a, b]);
    stock.forEach((g, i) => expect(maxAbsDiff(g, fast[i] as tf.Tensor)).toBeLessThan(1e-4));
    tf.dispose([a, b, ...stock, ...fast]);
  });
});

describe('GELU with its derivative written out', () => {
  const x = () => tf.linspace(-6, 6, 241);

  it('has the value and the gradient of the tfjs composition', () => {
    const input = x();
    expect(maxAbsDiff(gelu(input), referenceGelu(input))).toBeLessThan(1e-6);
    const fastGrad = tf.grad((t: tf.Tensor) => gelu(t).mul(tf.cos(t)).sum())(input);
    const stockGrad = tf.grad((t: tf.Tensor) => referenceGelu(t).mul(tf.cos(t)).sum())(input);
    expect(maxAbsDiff(fastGrad, stockGrad)).toBeLessThan(1e-5);
    tf.dispose([input, fastGrad, stockGrad]);
  });

  it('matches central finite differences', () => {
    const points = [-3, -1.2, -0.3, 0, 0.4, 1.1, 2.5];
    const grad = tf
      .grad((t: tf.Tensor) => gelu(t).sum())(tf.tensor1d(points))
      .dataSync();
    const h = 1e-3;
    const f = (v: number) => tf.tidy(() => gelu(tf.tensor1d([v])).dataSync()[0]) as number;
    points.forEach((p, i) => expect(grad[i] as number).toBeCloseTo((f(p + h) - f(p - h)) / (2 * h), 3));
  });

  it('follows the kernel mode', () => {
    setKernelMode('reference');
    expect(kernelMode()).toBe('reference');
    const input = x();
    expect(maxAbsDiff(gelu(input), referenceGelu(input))).toBe(0);
    input.dispose();
  });
});

describe('gatherRows', () => {
  it('equals tf.gather on rows, repeats included', () => {
    const x = tf.randomNormal([6, 4], 0, 1, 'float32', 3) as tf.Tensor2D;
    const index = Int32Array.from([5, 0, 0, 3, 2, 5, 1]);
    const stock = x.gather(tf.tensor1d(index, 'int32'));
    expect(maxAbsDiff(gatherRows(x, index), stock)).toBe(0);
    tf.dispose([x, stock]);
  });

  it('refuses an index outside the rows', () => {
    const x = tf.zeros([3, 2]) as tf.Tensor2D;
    expect(() => gatherRows(x, Int32Array.from([0, 3]))).toThrow(/outside/);
    x.dispose();
  });
});

describe('euclideanNorm', () => {
  it('equals tf.norm over the last axis', () => {
    const x = tf.randomNormal([2, 5, 7], 0, 1, 'float32', 4);
    const fast = euclideanNorm(x);
    expect(fast.shape).toEqual([2, 5, 1]);
    expect(maxAbsDiff(fast, x.norm('euclidean', -1, true))).toBeLessThan(1e-5);
    x.dispose();
  });
});

describe('layer normalisation with its gradient written out', () => {
  it('has the value and the gradients (input, gain, shift) of the tfjs composition', () => {
    const x = tf.randomNormal([3, 4, 6], 1, 2, 'float32', 11);
    const gamma = tf.randomNormal([6], 1, 0.3, 'float32', 12);
    const beta = tf.randomNormal([6], 0, 0.3, 'float32', 13);
    const weights = tf.randomNormal([3, 4, 6], 0, 1, 'float32', 14);
    const loss = (f: typeof layerNormalise) => (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => f(a, g, b, 1e-5).mul(weights).sin().sum();
    expect(maxAbsDiff(layerNormalise(x, gamma, beta, 1e-5), referenceLayerNorm(x, gamma, beta, 1e-5))).toBeLessThan(1e-5);
    const fast = tf.grads(loss(layerNormalise))([x, gamma, beta]);
    const stock = tf.grads(loss(referenceLayerNorm))([x, gamma, beta]);
    stock.forEach((g, i) => {
      expect((fast[i] as tf.Tensor).shape).toEqual(g.shape);
      expect(maxAbsDiff(g, fast[i] as tf.Tensor)).toBeLessThan(1e-4);
    });
    tf.dispose([x, gamma, beta, weights, ...fast, ...stock]);
  });
});
