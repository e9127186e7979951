import { describe, expect, it } from 'vitest';
import {
  chooseProductSemanticWeights,
  chooseSemanticWeight,
  MIN_OWN_VALIDATION_IMAGES,
} from '../../../../src/main/engine/ltad/semanticWeight';
import type { PositionStats } from '../../../../src/main/engine/ltad/positionNormalisation';
import { FULL_FRAME } from '../../../../src/main/engine/features/inputFrame';

const stats: PositionStats = { recMean: [0, 0], recStd: [1, 1], semMean: [0, 0], semStd: [1, 1] };
const terms = (rec: number[], sem: number[]) => ({
  terms: { rec: Float32Array.from(rec), sem: Float32Array.from(sem) },
  frame: FULL_FRAME,
  stats,
});
const peak = (scores: Float32Array) => Math.max(...scores);

describe('semantic weight', () => {
  it('drops S_sem when it only confuses the views, and keeps it in full when it separates them', () => {
    // S_rec separates painted from good; S_sem is high on a good image and low on the painted ones.
    const misleading = [
      { good: [terms([0, 0.1], [8, 0]), terms([0.2, 0], [0, 0])], painted: [terms([1, 0], [0, 0]), terms([0, 1.2], [0, 0])] },
    ];
    const dropped = chooseSemanticWeight(misleading, peak);
    expect(dropped.weight).toBe(0);
    expect(dropped.aurocByWeight['0']).toBe(1);
    expect(dropped.aurocByWeight['1']).toBeLessThan(1);
    expect(dropped.views).toBe(2);
    // Here S_rec cannot tell them apart and S_sem can.
    const helpful = [{ good: [terms([1, 0], [0, 0]), terms([0, 1], [0, 0])], painted: [terms([1, 0], [2, 0]), terms([0, 1], [0, 2])] }];
    expect(chooseSemanticWeight(helpful, peak).weight).toBe(1);
  });

  it('keeps S_rec alone when it already separates the views as well as any mix', () => {
    // Both terms separate painted from good perfectly: every weight ties at 1, and S_rec alone wins.
    const both = [{ good: [terms([0, 0], [0, 0]), terms([0.1, 0], [0, 0.1])], painted: [terms([2, 0], [2, 0]), terms([0, 2], [0, 2])] }];
    const choice = chooseSemanticWeight(both, peak);
    expect(Object.values(choice.aurocByWeight)).toEqual([1, 1, 1, 1]);
    expect(choice.weight).toBe(0);
  });

  it('scores each image against its own statistics', () => {
    // The same terms: against statistics that expect S_sem at 5 there, the good image stops standing out.
    const expectsSem: PositionStats = { ...stats, semMean: [5, 0] };
    const good = [{ ...terms([0, 0], [5, 0]), stats: expectsSem }, terms([0.1, 0], [0, 0])];
    const painted = [terms([0, 0], [3, 0]), terms([0, 0.05], [2.5, 0])];
    expect(chooseSemanticWeight([{ good, painted }], peak).aurocByWeight['1']).toBe(1);
    expect(chooseSemanticWeight([{ good: good.map((g) => ({ ...g, stats })), painted }], peak).aurocByWeight['1']).toBeLessThan(1);
  });

  it('keeps the full weight when there is nothing to measure on', () => {
    expect(chooseSemanticWeight([{ good: [], painted: [terms([1, 1], [1, 1])] }], peak)).toEqual({
      weight: 1,
      aurocByWeight: {},
      views: 0,
    });
  });

  it('lets each product with enough held-out images choose its own weight, and gives the others the pooled one', () => {
    const n = MIN_OWN_VALIDATION_IMAGES;
    const many = <T>(make: (i: number) => T) => Array.from({ length: n }, (_, i) => make(i));
    // helps: S_rec cannot tell painted from good, S_sem can. misleads: S_rec can, S_sem flags good images.
    const helps = {
      name: 'helps',
      good: many((i) => terms([1 + i * 0.01, 0], [0, 0])),
      painted: many((i) => terms([1 + i * 0.01, 0], [3, 0])),
    };
    const misleads = {
      name: 'misleads',
      good: many((i) => terms([0, 0], [i === 0 ? 9 : 0, 0])),
      painted: many(() => terms([2, 0], [0, 0])),
    };
    const few = { name: 'few', good: [terms([0, 0], [0, 0])], painted: [terms([2, 0], [2, 0])] };
    // Enough views, but every weight finds them all: no evidence of its own.
    const undecided = { name: 'undecided', good: many(() => terms([0, 0], [0, 0])), painted: many(() => terms([3, 0], [3, 0])) };
    const { pooled, perProduct } = chooseProductSemanticWeights([helps, misleads, few, undecided], peak);
    expect(perProduct.helps?.weight).toBe(1);
    expect(perProduct.misleads?.weight).toBe(0);
    expect(perProduct.few).toEqual(pooled);
    expect(pooled.weight).not.toBe(0); // so that taking its own tie (S_rec alone) would differ
    expect(perProduct.undecided).toEqual(pooled);
    expect(pooled.views).toBe(3 * n + 1);
  });
});
