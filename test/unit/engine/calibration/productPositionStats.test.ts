import { describe, expect, it } from 'vitest';
import { MIN_HELD_OUT_FOR_STATS, productPositionStats } from '../../../../src/main/engine/calibration/productPositionStats';
import type { TokenScoreTerms } from '../../../../src/main/engine/ltad/ltadScoring';
import { fitPositionStats } from '../../../../src/main/engine/ltad/positionNormalisation';

const terms = (rec: number[], sem: number[]): TokenScoreTerms => ({ rec: Float32Array.from(rec), sem: Float32Array.from(sem) });
const images = (n: number, rec: (i: number) => number, sem = 0) => Array.from({ length: n }, (_, i) => terms([rec(i), 0], [sem, sem]));

describe("a product's position statistics", () => {
  it('comes from its held-out images when it has enough, without asking for training images', () => {
    const heldOut = images(MIN_HELD_OUT_FOR_STATS, (i) => 10 + (i % 2 ? 1 : -1), 2);
    let askedForTraining = false;
    const stats = productPositionStats(
      heldOut,
      () => {
        askedForTraining = true;
        return images(50, () => 0);
      },
      2,
    );
    expect(askedForTraining).toBe(false);
    expect(stats.from).toBe('held-out');
    expect(stats.stats).toEqual(fitPositionStats(heldOut, 2));
    expect(stats.stats.semMean[0]).toBeCloseTo(2, 6);
  });

  it('scores each held-out image against the statistics of the others', () => {
    const heldOut = [...images(MIN_HELD_OUT_FOR_STATS - 1, () => 1), terms([9, 0], [0, 0])];
    const { forHeldOut } = productPositionStats(heldOut, () => [], 2);
    const others = heldOut.slice(0, -1);
    const without = forHeldOut(heldOut.length - 1);
    const expected = fitPositionStats(others, 2);
    without.recMean.forEach((m, p) => expect(m).toBeCloseTo(expected.recMean[p] as number, 9));
    without.recStd.forEach((s, p) => expect(s).toBeCloseTo(expected.recStd[p] as number, 6));
    // The odd image out would have raised the mean it is measured from.
    expect(without.recMean[0]).toBeLessThan(productPositionStats(heldOut, () => [], 2).stats.recMean[0] as number);
  });

  it('comes from its training images when too few are held out, and then scores held-out images against them', () => {
    const training = images(40, (i) => 5 + (i % 2 ? 2 : -2));
    const stats = productPositionStats(
      images(MIN_HELD_OUT_FOR_STATS - 1, () => 100),
      () => training,
      2,
    );
    expect(stats.from).toBe('training');
    expect(stats.stats.recMean[0]).toBeCloseTo(5, 0);
    expect(stats.stats.recStd[0]).toBeCloseTo(2, 0);
    expect(stats.forHeldOut(0)).toBe(stats.stats);
  });

  it('refuses a product without images', () => {
    expect(() => productPositionStats([], () => [], 2)).toThrow(/at least one image/);
  });
});
