import { describe, expect, it } from 'vitest';
import {
  MIN_HELD_OUT_FOR_QUANTILE,
  productThreshold,
  TRAINING_THRESHOLD_MARGIN,
} from '../../../../src/main/engine/calibration/productThreshold';
import { falseRejectRate } from '../../../../src/shared/falseRejectRate';

const range = (n: number, from = 1) => Array.from({ length: n }, (_, i) => from + i);

describe("each product's threshold from good images", () => {
  it('with enough held-out images, takes their quantile for the target false-reject rate and never scores training images', () => {
    const heldOut = range(MIN_HELD_OUT_FOR_QUANTILE * 10); // 1..100
    let trainingAsked = false;
    const record = productThreshold(
      heldOut,
      () => {
        trainingAsked = true;
        return [];
      },
      0.05,
    );
    expect(trainingAsked).toBe(false);
    expect(record).toMatchObject({ thresholdSource: 'held-out', targetFalseRejectRate: 0.05, goodScores: heldOut });
    expect(record.threshold).toBeCloseTo(95.05, 9); // position 99 x 0.95 = 94.05 between 95 and 96
    expect(falseRejectRate(heldOut, record.threshold)).toBeLessThanOrEqual(0.05);
  });

  it('with too few, pools them with the training scores and adds a margin above the highest', () => {
    const heldOut = range(MIN_HELD_OUT_FOR_QUANTILE - 1, 10); // 10..18
    const record = productThreshold(heldOut, () => [2, 20], 0.02);
    expect(record).toMatchObject({ thresholdSource: 'training', targetFalseRejectRate: 0.02, goodScores: [...heldOut, 2, 20] });
    expect(record.threshold).toBeCloseTo(20 + TRAINING_THRESHOLD_MARGIN * 18, 9);
    expect(falseRejectRate(record.goodScores, record.threshold)).toBe(0);
  });

  it('with none held out, uses the training scores alone', () => {
    expect(productThreshold([], () => [1, 3], 0.02)).toMatchObject({
      thresholdSource: 'training',
      goodScores: [1, 3],
      threshold: expect.closeTo(3 + TRAINING_THRESHOLD_MARGIN * 2, 9),
    });
    expect(() => productThreshold([], () => [], 0.02)).toThrow(/at least one good image/);
  });
});
