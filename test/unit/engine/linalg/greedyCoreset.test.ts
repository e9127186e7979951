import { beforeAll, describe, expect, it } from 'vitest';
import { coresetCover, greedyCoreset } from '../../../../src/main/engine/linalg/greedyCoreset';
import { seededRandom } from '../../../../src/main/engine/seededRandom';
import { initTfjs } from '../../../../src/main/engine/tfjsRuntime';

beforeAll(async () => {
  await initTfjs();
});

/** The plain greedy k-center: every point against every new center. */
function bruteForce(points: Float32Array, count: number, dim: number, take: number, start: number): number[] {
  const chosen: number[] = [];
  const minDist = new Array<number>(count).fill(Infinity);
  let next = start;
  for (let s = 0; s < take; s++) {
    chosen.push(next);
    for (let p = 0; p < count; p++) {
      let d = 0;
      for (let j = 0; j < dim; j++) d += ((points[p * dim + j] as number) - (points[next * dim + j] as number)) ** 2;
      minDist[p] = Math.min(minDist[p] as number, d);
    }
    next = minDist.indexOf(Math.max(...minDist));
  }
  return chosen;
}

describe('greedy k-center coreset', () => {
  it('chooses exactly what the plain greedy chooses, with the triangle-inequality shortcut', () => {
    const random = seededRandom(5);
    // Clusters of different spreads, as token features are.
    const [count, dim] = [600, 6];
    const points = Float32Array.from(
      { length: count * dim },
      (_, i) => (Math.floor(i / dim) % 7) * 3 + (random() - 0.5) * (1 + (Math.floor(i / dim) % 3)),
    );
    expect([...greedyCoreset(points, count, dim, 80, 11)]).toEqual(bruteForce(points, count, dim, 80, 11));
  });

  it('reports how far every point lies from the nearest chosen one', () => {
    // One dimension: the projection only rescales, so distances keep their ratios.
    const points = Float32Array.from([0, 1, 3, 7, 8, 20]);
    const { indices, squaredDistances } = coresetCover(points, 6, 1, 3, 1, seededRandom(2));
    const chosen = [...indices].map((i) => points[i] as number);
    const expected = [...points].map((p) => Math.min(...chosen.map((c) => (p - c) ** 2)));
    const ratio = (squaredDistances.find((d) => d > 0) as number) / (expected.find((d) => d > 0) as number);
    expect([...squaredDistances].map((d) => d / ratio)).toEqual(expected.map((d) => expect.closeTo(d, 3)));
    expect(coresetCover(points, 6, 1, 6, 1, seededRandom(2)).squaredDistances.every((d) => d === 0)).toBe(true);
  });
});
