import { describe, expect, it } from 'vitest';
import { greedyCoreset } from '../../../src/main/engine/linalg/greedyCoreset';
import { seededRandom } from '../../../src/main/engine/seededRandom';

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
    const points = Float32Array.from({ length: count * dim }, (_, i) => Math.floor(i / dim) % 7 * 3 + (random() - 0.5) * (1 + (Math.floor(i / dim) % 3)));
    expect([...greedyCoreset(points, count, dim, 80, 11)]).toEqual(bruteForce(points, count, dim, 80, 11));
  });
});
