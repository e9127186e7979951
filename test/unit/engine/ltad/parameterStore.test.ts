import { beforeAll, describe, expect, it } from 'vitest';
import { AdamW } from '../../../../src/main/engine/ltad/adamW';
import { ParameterStore } from '../../../../src/main/engine/ltad/parameterStore';
import { initTfjs, tf } from '../../../../src/main/engine/tfjsRuntime';

beforeAll(async () => {
  await initTfjs();
});

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => a.sub(b).abs().max().dataSync()[0] as number);
}

describe('parameters and AdamW', () => {
  it('creates the same initial weights from the same seed', () => {
    const [a, b, c] = [new ParameterStore(3), new ParameterStore(3), new ParameterStore(4)];
    for (const s of [a, b, c]) s.create('w', [4, 5], 'glorot');
    expect(a.get('w').arraySync()).toEqual(b.get('w').arraySync());
    expect(a.get('w').arraySync()).not.toEqual(c.get('w').arraySync());
    const values = a.values();
    const d = new ParameterStore(9);
    d.load(values);
    expect(d.get('w').arraySync()).toEqual(a.get('w').arraySync());
    expect(() => d.load({ w: { shape: [2, 2], data: new Float32Array(4) } })).toThrow(/does not match/);
    for (const s of [a, b, c, d]) s.dispose();
  });

  it('minimises a quadratic and decays matrices but not vectors', () => {
    const store = new ParameterStore(1);
    const w = store.create('w', [2, 2], { normal: 1 });
    const bias = store.create('b', [2], 'ones');
    const optimizer = new AdamW({ learningRate: 0.05, weightDecay: 0 });
    const target = tf.tensor2d([
      [1, -1],
      [0.5, 2],
    ]);
    for (let i = 0; i < 300; i++) {
      const { grads, value } = tf.variableGrads(() => w.sub(target).square().sum().add(bias.sub(3).square().sum()) as tf.Scalar, [w, bias]);
      optimizer.apply(
        new Map([
          [w, grads[w.name] as tf.Tensor],
          [bias, grads[bias.name] as tf.Tensor],
        ]),
      );
      tf.dispose([value, ...Object.values(grads)]);
    }
    expect(maxAbsDiff(w, target)).toBeLessThan(0.05);
    expect(maxAbsDiff(bias, tf.tensor1d([3, 3]))).toBeLessThan(0.05);
    optimizer.dispose();
    store.dispose();
  });
});
