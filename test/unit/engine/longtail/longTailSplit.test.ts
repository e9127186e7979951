import { describe, expect, it } from 'vitest';
import { longTailCounts } from '../../../../src/main/engine/longtail/longTailCounts';
import { buildLongTailSplit } from '../../../../src/main/engine/longtail/longTailSplit';

describe('longTailCounts', () => {
  it('follows the exp protocol: N_max * beta^(-c/(C-1)), floored', () => {
    // 100 * 10^(-1/4) = 56.2, 10^(-1/2) -> 31.6, 10^(-3/4) -> 17.8, 10^-1 -> 10
    expect(longTailCounts('exp', 5, 100, 10)).toEqual([100, 56, 31, 17, 10]);
    expect(longTailCounts('exp', 1, 40, 10)).toEqual([40]);
  });

  it('follows the step protocol: half at N_max, the rest at N_max / beta', () => {
    expect(longTailCounts('step', 4, 100, 10)).toEqual([100, 100, 10, 10]);
    expect(longTailCounts('step', 5, 100, 8)).toEqual([100, 100, 100, 12, 12]);
  });

  it('keeps at least one image and rejects nonsense parameters', () => {
    expect(longTailCounts('exp', 3, 5, 100)).toEqual([5, 1, 1]);
    expect(() => longTailCounts('exp', 3, 5, 0.5)).toThrow(/beta/);
    expect(() => longTailCounts('step', 0, 5, 2)).toThrow(/class count/);
  });
});

describe('buildLongTailSplit', () => {
  const pools = [
    { name: 'small', items: Array.from({ length: 30 }, (_, i) => `s${String(i).padStart(2, '0')}`) },
    { name: 'large', items: Array.from({ length: 80 }, (_, i) => `l${String(i).padStart(2, '0')}`) },
    { name: 'medium', items: Array.from({ length: 50 }, (_, i) => `m${String(i).padStart(2, '0')}`) },
  ];

  it('ranks classes by available images and samples without repetition', () => {
    const split = buildLongTailSplit(pools, { type: 'exp', beta: 10, nMax: 40, seed: 7 });
    expect(split.classes.map((c) => [c.name, c.n])).toEqual([
      ['large', 40],
      ['medium', 12],
      ['small', 4],
    ]);
    for (const c of split.classes) {
      expect(new Set(c.items).size).toBe(c.items.length);
      const pool = pools.find((p) => p.name === c.name)?.items ?? [];
      expect(c.items.every((item) => pool.includes(item))).toBe(true);
    }
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const a = buildLongTailSplit(pools, { type: 'step', beta: 4, seed: 1 });
    const b = buildLongTailSplit(pools, { type: 'step', beta: 4, seed: 1 });
    const c = buildLongTailSplit(pools, { type: 'step', beta: 4, seed: 2 });
    expect(a).toEqual(b);
    expect(a.classes[2]?.items).not.toEqual(c.classes[2]?.items);
  });

  it('takes what exists when a class has fewer images than asked, and says so', () => {
    const split = buildLongTailSplit(pools, { type: 'step', beta: 2, nMax: 60, seed: 3, order: 'name' });
    expect(split.classes.map((c) => [c.name, c.requested, c.n])).toEqual([
      ['large', 60, 60],
      ['medium', 60, 50],
      ['small', 30, 30],
    ]);
  });

  it('refuses empty classes', () => {
    expect(() => buildLongTailSplit([{ name: 'x', items: [] }], { type: 'exp', beta: 2, seed: 1 })).toThrow(/without training images/);
  });
});
