import { beforeAll, describe, expect, it } from 'vitest';
import { AdamW } from '../../../../src/main/engine/ltad/adamW';
import { causalMask, neighbourMask, selectRows } from '../../../../src/main/engine/ltad/networkLayers';
import { ParameterStore } from '../../../../src/main/engine/ltad/parameterStore';
import { createBuiltinTextTower } from '../../../../src/main/engine/ltad/textTower';
import { initTfjs, tf } from '../../../../src/main/engine/tfjsRuntime';

beforeAll(async () => {
  await initTfjs();
});

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => a.sub(b).abs().max().dataSync()[0] as number);
}

describe('masks and row selection', () => {
  it('hides a token\'s own k x k neighbourhood from it (UniAD), leaving the rest visible', () => {
    const mask = neighbourMask(4, 3).arraySync();
    const blocked = (i: number) => (mask[i] as number[]).map((v, j) => (v < 0 ? j : -1)).filter((j) => j >= 0);
    expect(blocked(0)).toEqual([0, 1, 4, 5]); // corner: 2x2 of the 3x3 window
    expect(blocked(5)).toEqual([0, 1, 2, 4, 5, 6, 8, 9, 10]);
    expect((mask[5] as number[]).filter((v) => v === 0)).toHaveLength(16 - 9);
    const causal = causalMask(3).arraySync();
    expect(causal.map((row) => row.map((v) => (v === 0 ? 1 : 0)))).toEqual([
      [1, 0, 0],
      [1, 1, 0],
      [1, 1, 1],
    ]);
  });

  it('selects rows with a gradient on the wasm backend', () => {
    const table = tf.tensor3d([[[1, 2]], [[3, 4]], [[5, 6]]]);
    const index = tf.tensor1d([2, 0, 2], 'int32');
    expect(selectRows(table, index).arraySync()).toEqual([[[5, 6]], [[1, 2]], [[5, 6]]]);
    const grad = tf.grad((t: tf.Tensor) => selectRows(t, index).sum())(table);
    expect(grad.arraySync()).toEqual([[[1, 1]], [[0, 0]], [[2, 2]]]);
  });
});

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
    const target = tf.tensor2d([[1, -1], [0.5, 2]]);
    for (let i = 0; i < 300; i++) {
      const { grads, value } = tf.variableGrads(() => w.sub(target).square().sum().add(bias.sub(3).square().sum()) as tf.Scalar, [w, bias]);
      optimizer.apply(new Map([[w, grads[w.name] as tf.Tensor], [bias, grads[bias.name] as tf.Tensor]]));
      tf.dispose([value, ...Object.values(grads)]);
    }
    expect(maxAbsDiff(w, target)).toBeLessThan(0.05);
    expect(maxAbsDiff(bias, tf.tensor1d([3, 3]))).toBeLessThan(0.05);
    optimizer.dispose();
    store.dispose();
  });
});

describe('built-in text tower', () => {
  it('is frozen, deterministic for its seed, and passes gradients to the pseudo-name tokens', () => {
    const tower = createBuiltinTextTower();
    const again = createBuiltinTextTower();
    const object = tower.wordEmbedding('object');
    const names = tf.variable(object.reshape([1, 1, tower.width]).tile([3, 2, 1]));
    const a = tower.encode(['a'], names);
    expect(a.shape).toEqual([3, tower.outputDim]);
    expect(maxAbsDiff(a, again.encode(['a'], names))).toBe(0);
    const broken = tower.encode(['a', 'broken'], names);
    expect(maxAbsDiff(a, broken)).toBeGreaterThan(1e-4); // "a broken" differs from "a"
    const { grads } = tf.variableGrads(() => tower.encode(['a'], names).slice([1, 0], [1, -1]).sum() as tf.Scalar, [names]);
    const g = (grads[names.name] as tf.Tensor).abs().sum(2).arraySync() as number[][];
    expect(g[1]?.every((v) => v > 0)).toBe(true); // class 1's tokens get a gradient
    expect(g[0]?.every((v) => v === 0)).toBe(true); // other classes do not
    expect(tower.description).toMatch(/no language prior/);
    tower.dispose();
    again.dispose();
  });

  it('leaves no tensor behind once disposed', () => {
    const before = tf.memory().numTensors;
    const tower = createBuiltinTextTower();
    tf.dispose(tf.tidy(() => tower.encode(['a', 'broken'], tf.zeros([2, 2, tower.width]))));
    tower.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
