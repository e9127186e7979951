import { beforeAll, describe, expect, it } from 'vitest';
import { createBuiltinTextTower } from '../../../../src/main/engine/ltad/textTower';
import { initTfjs, tf } from '../../../../src/main/engine/tfjsRuntime';

beforeAll(async () => {
  await initTfjs();
});

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => a.sub(b).abs().max().dataSync()[0] as number);
}

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
