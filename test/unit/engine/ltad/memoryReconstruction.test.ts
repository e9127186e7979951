import { beforeAll, describe, expect, it } from 'vitest';
import {
  CELL_COST_PARAMETER,
  CELLS_PARAMETER,
  CHANNEL_SCALE_PARAMETER,
  MEMORY_PARAMETER,
  memoryReconstruct,
  memoryReconstructionError,
} from '../../../../src/main/engine/ltad/memoryReconstruction';
import { buildNormalMemory } from '../../../../src/main/engine/ltad/normalMemory';
import { ParameterStore } from '../../../../src/main/engine/ltad/parameterStore';
import { memoryRowsSource } from '../../../../src/main/engine/ltad/trainingRows';
import { openTrainingRows } from '../../../../src/main/engineAdapters/openTrainingRows';
import { initTfjs, tf } from '../../../../src/main/engine/tfjsRuntime';
import { LtadNetwork } from '../../../../src/main/engine/ltad/ltadNetwork';
import { createBuiltinTextTower } from '../../../../src/main/engine/ltad/textTower';
import { TINY_LTAD } from '../../../helpers/tinyLtad';

beforeAll(async () => {
  await initTfjs();
});

/** Two classes whose tokens sit on two separate lattices: class 0 near +c, class 1 near -c. */
function lattice(): { rows: ReturnType<typeof openTrainingRows>; dim: number; tokens: number } {
  const [tokens, dim, perClass] = [4, 3, 3];
  const data = new Float32Array(2 * perClass * tokens * dim);
  const classIndex = new Int32Array(2 * perClass);
  for (let r = 0; r < 2 * perClass; r++) {
    classIndex[r] = r < perClass ? 0 : 1;
    const sign = r < perClass ? 1 : -1;
    for (let t = 0; t < tokens; t++)
      for (let k = 0; k < dim; k++) data[(r * tokens + t) * dim + k] = sign * (5 + t + (k === 0 ? r % perClass : 0));
  }
  return { rows: openTrainingRows(memoryRowsSource(data, classIndex, tokens, dim)), dim, tokens };
}

describe('memory of normal tokens', () => {
  it("keeps only each class's own tokens, and repeats them when the class has fewer than the memory holds", () => {
    const { rows, dim, tokens } = lattice();
    const size = 20; // more than one class's 12 tokens
    const { entries: memory, sourceRows } = buildNormalMemory(rows, 2, {
      size,
      maxImages: 10,
      projectionDim: 2,
      productSeeds: [1, 2],
      positionWeight: 0,
      grid: 2,
    });
    for (let c = 0; c < 2; c++) {
      const entries = Array.from({ length: size }, (_, s) =>
        Array.from(memory.subarray((c * size + s) * dim, (c * size + s + 1) * dim)).join(),
      );
      const own = new Set(
        Array.from({ length: 3 * tokens }, (_, i) =>
          Array.from(rows.read([c * 3 + Math.floor(i / tokens)]).subarray((i % tokens) * dim, ((i % tokens) + 1) * dim)).join(),
        ),
      );
      expect(entries.every((e) => own.has(e))).toBe(true);
      expect(new Set(entries).size).toBe(own.size); // every token kept at least once
      // Each entry knows its row: the entry's values are that row's token.
      for (let s = 0; s < size; s++) {
        const row = sourceRows[c * size + s] as number;
        expect(rows.classIndex[row]).toBe(c);
        const tokensOfRow = Array.from({ length: tokens }, (_, t) => Array.from(rows.read([row]).subarray(t * dim, (t + 1) * dim)).join());
        expect(tokensOfRow).toContain(entries[s]);
      }
    }
  });

  it('gives a product the same memory whatever other products are trained beside it', () => {
    const { rows, dim, tokens } = lattice();
    const both = buildNormalMemory(rows, 2, {
      size: 5,
      maxImages: 2,
      projectionDim: 2,
      productSeeds: [7, 9],
      positionWeight: 0.5,
      grid: 2,
    });
    // Class 1 alone, as the only product: its rows 3-5 with class index 0.
    const alone = openTrainingRows(memoryRowsSource(rows.read([3, 4, 5]), new Int32Array(3), tokens, dim));
    const single = buildNormalMemory(alone, 1, {
      size: 5,
      maxImages: 2,
      projectionDim: 2,
      productSeeds: [9],
      positionWeight: 0.5,
      grid: 2,
    });
    expect([...single.entries]).toEqual([...both.entries.subarray(5 * dim)]);
    expect([...single.cells]).toEqual([...both.cells.subarray(5 * 2)]);
    expect(single.cellCosts[0]).toBeCloseTo(both.cellCosts[1] as number, 6);
  });

  it("at a sharp temperature reconstructs each token by its nearest entry of its own class's memory", () => {
    const store = new ParameterStore(0);
    // class 0: entries at 0 and 10 on every channel; class 1: at -10 and 20.
    const dim = 2;
    store.load({ [MEMORY_PARAMETER]: { shape: [2, 2, dim], data: Float32Array.from([0, 0, 10, 10, -10, -10, 20, 20]) } });
    const x = tf.tensor3d([
      [
        [1, 1],
        [9, 9],
      ],
      [
        [1, 1],
        [9, 9],
      ],
    ]);
    const classes = tf.tensor1d([0, 1], 'int32');
    const out = memoryReconstruct(store, x, classes, 0.01).arraySync() as number[][][];
    expect(out[0]).toEqual(
      [
        [0, 0],
        [10, 10],
      ].map((r) => r.map((v) => expect.closeTo(v, 4))),
    );
    expect(out[1]).toEqual(
      [
        [-10, -10],
        [20, 20],
      ].map((r) => r.map((v) => expect.closeTo(v, 4))),
    );
    // Leaving an entry out: the token near 0 falls back to the other entry.
    const excluded = tf.tensor3d([[[-1e9, 0]], [[0, 0]]]);
    expect((memoryReconstruct(store, x, classes, 0.01, excluded).arraySync() as number[][][])[0]?.[0]).toEqual([
      expect.closeTo(10, 4),
      expect.closeTo(10, 4),
    ]);
    // A wide temperature blends the entries instead.
    const soft = memoryReconstruct(store, x, classes, 1e4).arraySync() as number[][][];
    expect(soft[0]?.[0]?.[0]).toBeCloseTo(5, 1);
    store.dispose();
  });

  it("measures distances in the raw features' scale when it has one", () => {
    const store = new ParameterStore(0);
    // Entry A differs from the query on channel 0, entry B on channel 1: channel 1 counts 10x more.
    store.load({ [MEMORY_PARAMETER]: { shape: [1, 2, 2], data: Float32Array.from([1, 0, 0, 0.5]) } });
    const x = tf.tensor3d([[[0, 0]]]);
    const classes = tf.tensor1d([0], 'int32');
    expect((memoryReconstruct(store, x, classes, 0.001).arraySync() as number[][][])[0]?.[0]).toEqual([
      expect.closeTo(0, 4),
      expect.closeTo(0.5, 4),
    ]);
    store.load({ [CHANNEL_SCALE_PARAMETER]: { shape: [2], data: Float32Array.from([1, 10]) } });
    expect((memoryReconstruct(store, x, classes, 0.001).arraySync() as number[][][])[0]?.[0]).toEqual([
      expect.closeTo(1, 4),
      expect.closeTo(0, 4),
    ]);
    // The error is in that scale too: (1 - 0)^2 * 1 on channel 0, averaged over two channels.
    expect(memoryReconstructionError(store, x, classes, 0.001).arraySync()).toEqual([[expect.closeTo(0.5, 4)]]);
    store.dispose();
  });

  it('weighs where an entry was seen beside how it looks, and counts the displacement in the error', () => {
    const store = new ParameterStore(0);
    // A 2x2 grid; entry A (value 0) was seen at cell (0, 0), entry B (value 0.2) at cell (1, 1).
    store.load({ [MEMORY_PARAMETER]: { shape: [1, 2, 1], data: Float32Array.from([0, 0.2]) } });
    const x = tf.zeros([1, 4, 1]);
    const classes = tf.tensor1d([0], 'int32');
    const reconstruction = () => (memoryReconstruct(store, x, classes, 0.001).arraySync() as number[][][])[0]?.map((t) => t[0]);
    expect(reconstruction()).toEqual([0, 0, 0, 0].map((v) => expect.closeTo(v, 4))); // appearance alone: A everywhere
    store.load({
      [CELLS_PARAMETER]: { shape: [1, 2, 2], data: Float32Array.from([0, 0, 1, 1]) },
      [CELL_COST_PARAMETER]: { shape: [1], data: Float32Array.from([0.1]) },
    });
    // Token 3 sits at (1, 1): A costs 0 + 2 cells^2 * 0.1 = 0.2, B costs 0.04 + 0: B wins there; token 0 keeps A.
    expect(reconstruction()).toEqual([0, 0, 0, 0.2].map((v) => expect.closeTo(v, 4)));
    // The error is the distance the match was chosen by: at token 1 (cell (1, 0)) both cost one cell, A wins: 0 + 0.1.
    const error = (memoryReconstructionError(store, x, classes, 0.001).arraySync() as number[][])[0];
    expect(error).toEqual([0, 0.1, 0.1, 0.04].map((v) => expect.closeTo(v, 4)));
    store.dispose();
  });

  it("chooses a memory that covers every place on the part, and prices a cell by the product's typical distance", () => {
    // One class, 4 tokens on a 2x2 grid, identical images: appearance alone needs one entry per token value.
    const [tokens, dim, images] = [4, 2, 3];
    const data = new Float32Array(images * tokens * dim);
    for (let r = 0; r < images; r++) for (let t = 0; t < tokens; t++) data.set([t === 3 ? 1 : 0, r * 0.01], (r * tokens + t) * dim);
    const rows = openTrainingRows(memoryRowsSource(data, new Int32Array(images), tokens, dim));
    const plain = buildNormalMemory(rows, 1, {
      size: 2,
      maxImages: 10,
      projectionDim: 8,
      productSeeds: [1, 2],
      positionWeight: 0,
      grid: 2,
    });
    expect(plain.cellCosts[0]).toBe(0);
    // A heavy position weight: a cell apart costs far more than the images' differences.
    const placed = buildNormalMemory(rows, 1, {
      size: 3,
      maxImages: 10,
      projectionDim: 8,
      productSeeds: [1, 2],
      positionWeight: 10,
      grid: 2,
    });
    expect(placed.cellCosts[0]).toBeGreaterThan(0);
    // Three entries on three different cells, and every entry's cell is the cell its token came from.
    expect(new Set([0, 1, 2].map((s) => `${placed.cells[s * 2]},${placed.cells[s * 2 + 1]}`)).size).toBe(3);
    for (let s = 0; s < 3; s++) {
      const [column, row] = [placed.cells[s * 2] as number, placed.cells[s * 2 + 1] as number];
      const value = placed.entries[s * dim] as number;
      expect(value).toBe(column === 1 && row === 1 ? 1 : 0);
    }
  });

  it('learns its entries and temperature by gradient, and says when the memory was never built', () => {
    const store = new ParameterStore(0);
    store.load({ [MEMORY_PARAMETER]: { shape: [1, 2, 1], data: Float32Array.from([0, 4]) } });
    const x = tf.tensor3d([[[1], [3]]]);
    const classes = tf.tensor1d([0], 'int32');
    memoryReconstruct(store, x, classes, 0.5); // creates the temperature
    const variables = store.trainable('rm/');
    const { grads } = tf.variableGrads(() => memoryReconstruct(store, x, classes, 0.5).sub(x).square().mean() as tf.Scalar, variables);
    for (const v of variables)
      expect(Math.abs(tf.tidy(() => (grads[v.name] as tf.Tensor).abs().sum().dataSync()[0] as number))).toBeGreaterThan(0);
    const empty = new ParameterStore(0);
    expect(() => memoryReconstruct(empty, x, classes, 0.5)).toThrow(/no memory/);
    store.dispose();
  });
});

describe('leaving a training image out of its own memory', () => {
  it('masks the entries of the image scored, except for a product whose memory is that image alone', () => {
    const config = { ...TINY_LTAD, memorySize: 2 };
    const net = new LtadNetwork(config, 2, createBuiltinTextTower(config.textTower));
    const dim = net.dim;
    // Class 0: both entries from row 5 (its only image); class 1: entry 0 from row 7, entry 1 from row 8.
    const entries = new Float32Array(2 * 2 * dim);
    entries.fill(1, 0, dim); // class 0, entry 0 at 1
    entries.fill(3, dim, 2 * dim); // class 0, entry 1 at 3
    entries.fill(0, 2 * dim, 3 * dim); // class 1, entry 0 at 0
    entries.fill(10, 3 * dim, 4 * dim); // class 1, entry 1 at 10
    net.store.load({ [MEMORY_PARAMETER]: { shape: [2, 2, dim], data: entries } });
    net.memorySourceRows = Int32Array.from([5, 5, 7, 8]);
    const x = tf.fill([1, net.tokens, dim], 1);
    const first = (t: tf.Tensor) => (t.arraySync() as number[][][])[0]?.[0]?.[0];
    const lone = tf.tensor1d([0], 'int32');
    expect(first(net.reconstruct(x, lone, [5]))).toBeCloseTo(first(net.reconstruct(x, lone)) as number, 5);
    const shared = tf.tensor1d([1], 'int32');
    expect(first(net.reconstruct(x, shared))).toBeCloseTo(0, 4); // nearest: the entry at 0
    expect(first(net.reconstruct(x, shared, [7]))).toBeCloseTo(10, 4); // row 7's entry left out
    net.text.dispose();
    net.dispose();
  });
});
