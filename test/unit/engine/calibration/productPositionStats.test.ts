import { describe, expect, it } from 'vitest';
import { productPositionStats } from '../../../../src/main/engine/calibration/productPositionStats';
import type { TokenScoreTerms } from '../../../../src/main/engine/ltad/ltadScoring';

const terms = (rec: number[], sem: number[]): TokenScoreTerms => ({ rec: Float32Array.from(rec), sem: Float32Array.from(sem) });

describe("each product's position statistics", () => {
  it('fits each product on its own images only, asking for one product at a time', () => {
    const asked: [string, number][] = [];
    const images: Record<string, TokenScoreTerms[]> = {
      gear: Array.from({ length: 400 }, (_, i) => terms([10 + (i % 2 ? 1 : -1), 0], [0, 0])),
      bracket: Array.from({ length: 400 }, (_, i) => terms([0, 5 + (i % 2 ? 2 : -2)], [1, 1])),
    };
    const stats = productPositionStats(
      ['gear', 'bracket'],
      (name, c) => {
        asked.push([name, c]);
        return images[name] as TokenScoreTerms[];
      },
      2,
    );
    expect(asked).toEqual([
      ['gear', 0],
      ['bracket', 1],
    ]);
    expect(Object.keys(stats)).toEqual(['gear', 'bracket']);
    expect(stats.gear?.recMean[0]).toBeCloseTo(10, 0);
    expect(stats.gear?.recStd[0]).toBeCloseTo(1, 1);
    expect(stats.bracket?.recMean[1]).toBeCloseTo(5, 0);
    expect(stats.bracket?.recStd[1]).toBeCloseTo(2, 1);
    expect(stats.bracket?.semMean).toEqual([expect.closeTo(1, 6), expect.closeTo(1, 6)]);
  });

  it('refuses a product without images', () => {
    expect(() => productPositionStats(['gear'], () => [], 2)).toThrow(/at least one image/);
  });
});
