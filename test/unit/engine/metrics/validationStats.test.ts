import { describe, expect, it } from 'vitest';
import { validationCounts } from '../../../../src/main/engine/metrics/validationStats';

describe('validation counts', () => {
  it('counts false rejects by score, escapes by verdict, and ranks defects against good parts', () => {
    const counts = validationCounts(
      [1, 2, 3, 6],
      [
        { score: 7, verdict: 'fail' },
        { score: 4, verdict: 'pass' },
        { score: 2.5, verdict: 'fail' }, // failed as "not this product" although under the threshold: caught
      ],
      5,
    );
    expect(counts.confusion).toEqual({ goodPassed: 3, goodFailed: 1, defectPassed: 1, defectFailed: 2 });
    expect(counts.falseRejectRate).toBe(0.25);
    expect(counts.escapeRate).toBeCloseTo(1 / 3, 12);
    // Pairs defect > good: 7 beats all 4, 4 beats 3, 2.5 beats 2: (4 + 3 + 2) / 12.
    expect(counts.imageAuroc).toBeCloseTo(9 / 12, 12);
  });

  it('says nothing it cannot measure', () => {
    expect(validationCounts([], [{ score: 1, verdict: 'fail' }], 0.5)).toMatchObject({
      imageAuroc: null,
      falseRejectRate: null,
      escapeRate: 0,
    });
    expect(validationCounts([1], [], 0.5)).toMatchObject({ imageAuroc: null, falseRejectRate: 1, escapeRate: null });
  });
});
