import { describe, expect, it } from 'vitest';
import { fitPositionStats, normalisedScores } from '../../../../src/main/engine/ltad/positionNormalisation';

const terms = (rec: number[], sem: number[]) => ({ rec: Float32Array.from(rec), sem: Float32Array.from(sem) });

describe('per-position normalisation of the LTAD terms', () => {
  it('with many images, gives each position its own mean and spread', () => {
    const images = Array.from({ length: 2000 }, (_, i) =>
      terms([10 + (i % 2 ? 1 : -1), 1 + (i % 2 ? 0.1 : -0.1)], [0.5, 0.5 + (i % 2 ? 0.2 : -0.2)]),
    );
    const stats = fitPositionStats(images, 2);
    expect(stats.recMean[0]).toBeCloseTo(10, 1);
    expect(stats.recMean[1]).toBeCloseTo(1, 1);
    expect(stats.recStd[0]).toBeCloseTo(1, 1);
    expect(stats.recStd[1]).toBeCloseTo(0.1, 1);
    // A normal-looking value at a hard position scores no higher than at an easy one.
    const scores = normalisedScores(terms([10, 1], [0.5, 0.5]), stats, 1);
    expect(Math.abs(scores[0] as number)).toBeLessThan(0.3);
    expect(Math.abs(scores[1] as number)).toBeLessThan(0.3);
    expect(normalisedScores(terms([10, 2], [0.5, 0.5]), stats, 1)[1] as number).toBeGreaterThan(8);
  });

  it('with few images, shrinks each position toward the class as a whole', () => {
    const stats = fitPositionStats([terms([9, 1], [0, 0]), terms([11, 1], [0, 0])], 2);
    // Own means 10 and 1, class mean 5.5: shrunk between, and a constant position still has a spread.
    expect(stats.recMean[0]).toBeGreaterThan(5.5);
    expect(stats.recMean[0]).toBeLessThan(10);
    expect(stats.recMean[1]).toBeGreaterThan(1);
    expect(stats.recStd[1]).toBeGreaterThan(0.5); // pulled toward position 0's spread of 1
    expect(stats.semStd[0]).toBeGreaterThan(0); // never a division by zero
  });

  it('leaves the semantic term out for the no-semantic ablation', () => {
    const stats = fitPositionStats([terms([1], [0]), terms([3], [1])], 1);
    const withSem = normalisedScores(terms([2], [5]), stats, 1);
    const without = normalisedScores(terms([2], [5]), stats, 0);
    expect(without[0]).toBeCloseTo(0, 6);
    expect(withSem[0] as number).toBeGreaterThan(1);
  });
});
