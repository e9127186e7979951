import { beforeAll, describe, expect, it } from 'vitest';
import { invertSpd } from '../../../src/main/engine/linalg/cholesky';
import { NearestNeighbourIndex } from '../../../src/main/engine/peers/nearestNeighbourIndex';
import { fitPadim, scorePadim } from '../../../src/main/engine/peers/padim';
import { fitPatchcore } from '../../../src/main/engine/peers/patchcore';
import { greedyCoreset } from '../../../src/main/engine/linalg/greedyCoreset';
import { seededRandom } from '../../../src/main/engine/seededRandom';
import { initTfjs, tf } from '../../../src/main/engine/tfjsRuntime';

beforeAll(async () => {
  await initTfjs();
});

describe('invertSpd', () => {
  it('inverts a symmetric positive-definite matrix', () => {
    const random = seededRandom(3);
    const d = 6;
    const b = Float64Array.from({ length: d * d }, () => random() - 0.5);
    const a = new Float64Array(d * d);
    for (let i = 0; i < d; i++)
      for (let j = 0; j < d; j++)
        for (let k = 0; k < d; k++)
          a[i * d + j] = (a[i * d + j] as number) + (b[i * d + k] as number) * (b[j * d + k] as number) + (i === j && k === 0 ? 0.5 : 0);
    const inv = invertSpd(a, d);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        let sum = 0;
        for (let k = 0; k < d; k++) sum += (a[i * d + k] as number) * (inv[k * d + j] as number);
        expect(sum).toBeCloseTo(i === j ? 1 : 0, 9);
      }
    }
    expect(() => invertSpd(Float64Array.from([1, 2, 2, 1]), 2)).toThrow(/positive definite/);
  });
});

describe('PaDiM', () => {
  it('computes the Mahalanobis distance by hand in one dimension', () => {
    // values 1, 2, 3: mean 2, unbiased variance 1, plus epsilon 0.01
    const model = fitPadim(Float32Array.from([1, 2, 3]), 3, 1, 1, { epsilon: 0.01 });
    expect(scorePadim(model, Float32Array.from([4]), 1)[0]).toBeCloseTo(2 / Math.sqrt(1.01), 5);
    expect(scorePadim(model, Float32Array.from([2]), 1)[0]).toBeCloseTo(0, 6);
  });

  it('keeps a position-specific Gaussian and flags the token that departs from it', () => {
    const random = seededRandom(1);
    const [count, positions, dim] = [40, 4, 8];
    const tokens = Float32Array.from(
      { length: count * positions * dim },
      (_, i) => (Math.floor(i / dim) % positions) * 3 + (random() - 0.5),
    );
    const model = fitPadim(tokens, count, positions, dim, { reducedDim: 5, seed: 2 });
    expect(model.channels.length).toBe(5);
    const normal = Float32Array.from({ length: positions * dim }, (_, i) => Math.floor(i / dim) * 3);
    const odd = normal.slice();
    for (let k = 0; k < dim; k++) odd[2 * dim + k] = 0; // position 2 looks like position 0
    const [a, b] = [scorePadim(model, normal, dim), scorePadim(model, odd, dim)];
    expect(b[2]).toBeGreaterThan(10 * (a[2] as number));
    expect(b[0]).toBeCloseTo(a[0] as number, 5);
  });
});

describe('PatchCore', () => {
  it('chooses the coreset greedily by farthest distance', () => {
    const points = Float32Array.from([0, 1, 10, 11, 5]);
    expect([...greedyCoreset(points, 5, 1, 3, 0)]).toEqual([0, 3, 4]);
  });

  it('finds exact nearest-neighbour distances', () => {
    const random = seededRandom(5);
    const [size, dim, rows] = [50, 7, 9];
    const bank = Float32Array.from({ length: size * dim }, () => random());
    const queries = Float32Array.from({ length: rows * dim }, () => random() * 2);
    const before = tf.memory().numTensors;
    const index = new NearestNeighbourIndex(bank, size, dim);
    const got = index.nearestDistances(queries, rows);
    index.dispose();
    expect(tf.memory().numTensors).toBe(before);
    for (let r = 0; r < rows; r++) {
      let best = Infinity;
      for (let b = 0; b < size; b++) {
        let d = 0;
        for (let j = 0; j < dim; j++) d += ((queries[r * dim + j] as number) - (bank[b * dim + j] as number)) ** 2;
        best = Math.min(best, Math.sqrt(d));
      }
      expect(got[r]).toBeCloseTo(best, 4);
    }
  });

  it('keeps every token at ratio 1 and a bounded bank otherwise', () => {
    const tokens = Float32Array.from({ length: 100 * 4 }, (_, i) => Math.sin(i));
    expect(fitPatchcore(tokens, 100, 4, { coresetRatio: 1 }).size).toBe(100);
    const thin = fitPatchcore(tokens, 100, 4, { coresetRatio: 0.1, seed: 1 });
    expect(thin.size).toBe(10);
    expect(thin.bank.length).toBe(40);
    expect(fitPatchcore(tokens, 100, 4, { coresetRatio: 0.5, maxBank: 7 }).size).toBe(7);
  });
});
