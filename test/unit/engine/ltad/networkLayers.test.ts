import { beforeAll, describe, expect, it } from 'vitest';
import { causalMask, neighbourMask, selectRows } from '../../../../src/main/engine/ltad/networkLayers';
import { initTfjs, tf } from '../../../../src/main/engine/tfjsRuntime';

beforeAll(async () => {
  await initTfjs();
});

describe('masks and row selection', () => {
  it("hides a token's own k x k neighbourhood from it (UniAD), leaving the rest visible", () => {
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
