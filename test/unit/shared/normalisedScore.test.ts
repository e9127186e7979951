import { describe, expect, it } from 'vitest';
import { NORMALISED_THRESHOLD, normaliseScore, recordedNormalisedScore, scoreScaleOf } from '../../../src/shared/normalisedScore';

describe('normalised score', () => {
  it('puts the threshold at 0.5 and a typical good part at 0.25, whatever the raw scale', () => {
    for (const [threshold, goods, typical] of [
      [5, [2, 3, 4], 3],
      [3071, [1000, 1500, 2000, 9000], 1750],
    ] as const) {
      const scale = scoreScaleOf(threshold, goods);
      if (!scale) throw new Error('no scale');
      expect(normaliseScore(threshold, scale)).toBe(NORMALISED_THRESHOLD);
      expect(normaliseScore(typical, scale)).toBeCloseTo(0.25, 12);
      expect(normaliseScore(2 * threshold - typical, scale)).toBeCloseTo(0.75, 12);
    }
  });

  it('fails exactly where the raw score does, and stays within 0..1', () => {
    const scale = scoreScaleOf(5, [1, 2, 3]);
    if (!scale) throw new Error('no scale');
    for (const raw of [-100, 0, 2.9, 4.999, 5, 5.001, 7, 1e9]) {
      const n = normaliseScore(raw, scale);
      expect(n > NORMALISED_THRESHOLD).toBe(raw > 5);
      expect(n).toBeGreaterThanOrEqual(0);
      expect(n).toBeLessThanOrEqual(1);
    }
    expect(normaliseScore(1e9, scale)).toBe(1);
    expect(normaliseScore(-100, scale)).toBe(0);
  });

  it("keeps a scale when a supervisor's threshold is below a typical good part: the good scores' own spread", () => {
    const scale = scoreScaleOf(1, [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20]);
    expect(scale).toEqual({ threshold: 1, spread: 8 });
    expect(normaliseScore(1, scale as NonNullable<typeof scale>)).toBe(0.5);
  });

  it('is unknown without good scores, or when they do not spread, and for rows recorded before scales were kept', () => {
    expect(scoreScaleOf(5, [])).toBeNull();
    expect(scoreScaleOf(2, [3, 3, 3])).toBeNull();
    expect(recordedNormalisedScore({ score: 4, threshold: 5, scoreSpread: null })).toBeNull();
    expect(recordedNormalisedScore({ score: 6, threshold: 5, scoreSpread: 2 })).toBe(0.625);
  });
});
