import { describe, expect, it } from 'vitest';
import { carryThreshold } from '../../../../src/main/engine/calibration/thresholdCarry';

describe('carrying a supervisor threshold to a retrained model', () => {
  it('keeps what it meant: the same number of trained margins above the typical good part', () => {
    const from = { trained: 5, goodScores: [2, 3, 4], chosen: 7 }; // typical 3, margin 2: twice the margin
    expect(carryThreshold(from, { trained: 4.6, goodScores: [2, 2.5, 3] })).toBeCloseTo(6.7, 12);
    // The same model: the same threshold back.
    expect(carryThreshold(from, { trained: 5, goodScores: [2, 3, 4] })).toBeCloseTo(7, 12);
    // A lowered threshold stays lowered; a scale ten times larger carries ten times as far.
    expect(carryThreshold({ ...from, chosen: 4 }, { trained: 50, goodScores: [20, 30, 40] })).toBeCloseTo(40, 12);
  });

  it('gives nothing where a model offers no margin to measure with', () => {
    expect(carryThreshold({ trained: 5, goodScores: [], chosen: 7 }, { trained: 4, goodScores: [1] })).toBeNull();
    expect(carryThreshold({ trained: 3, goodScores: [3, 3, 3], chosen: 7 }, { trained: 4, goodScores: [1] })).toBeNull();
    expect(carryThreshold({ trained: 5, goodScores: [3], chosen: 7 }, { trained: 1, goodScores: [2] })).toBeNull();
  });
});
