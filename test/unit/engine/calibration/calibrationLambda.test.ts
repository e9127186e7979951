import { describe, expect, it } from 'vitest';
import { calibrationLambda } from '../../../../src/main/engine/calibration/calibrationLambda';

const terms = (rec: number[], sem: number[]) => ({ rec: Float32Array.from(rec), sem: Float32Array.from(sem) });

describe('lambda, the weight of S_sem in S_rec + lambda * S_sem', () => {
  it("balances the two terms' spreads over every product's sample", () => {
    // S_rec spreads 2 (values 0 and 4 around 2), S_sem spreads 0.5: lambda 4 makes them equal.
    expect(calibrationLambda('none', [terms([0, 4], [0, 1]), terms([0, 4], [0, 1])])).toBeCloseTo(4, 6);
    // Pooled, not averaged per product: a product far from the other widens the spread.
    expect(calibrationLambda('none', [terms([0, 0], [0, 1]), terms([4, 4], [0, 1])])).toBeCloseTo(4, 6);
  });

  it('is 0 without a semantic branch, and when S_sem does not vary', () => {
    expect(calibrationLambda('no-semantic', [terms([0, 4], [0, 1])])).toBe(0);
    expect(calibrationLambda('none', [terms([0, 4], [1, 1])])).toBe(0);
  });

  it('keeps the semantic branch for the other ablations', () => {
    expect(calibrationLambda('no-vae', [terms([0, 4], [0, 1])])).toBeCloseTo(4, 6);
  });
});
