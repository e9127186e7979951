import { describe, expect, it } from 'vitest';
import { buildPrototypes, checkPrototype, pooledEmbedding } from '../../../src/main/engine/scoring/classPrototypes';
import { defectRegions, scaleRegions } from '../../../src/main/engine/scoring/defectRegions';
import { falseRejectRate, thresholdForFalseRejectRate } from '../../../src/main/engine/scoring/thresholds';

describe('thresholds from good images', () => {
  it('interpolates the (1 - FRR) quantile of good scores', () => {
    const scores = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(thresholdForFalseRejectRate(scores, 0)).toBe(10);
    expect(thresholdForFalseRejectRate(scores, 0.1)).toBeCloseTo(9.1, 12); // position 8.1
    expect(falseRejectRate(scores, thresholdForFalseRejectRate(scores, 0.2))).toBeLessThanOrEqual(0.2);
    expect(thresholdForFalseRejectRate([2, 4], 0, 0.5)).toBe(5); // max + half the spread
    expect(() => thresholdForFalseRejectRate([], 0.1)).toThrow(/at least one/);
    expect(() => thresholdForFalseRejectRate([1], 1)).toThrow(/\[0, 1\)/);
  });
});

describe('defect regions', () => {
  it('finds connected hot regions, largest first, and scales them to the image', () => {
    const width = 8;
    const data = new Float32Array(64);
    for (const [x, y] of [
      [1, 1],
      [2, 1],
      [1, 2],
      [2, 2],
      [3, 3],
    ] as [number, number][])
      data[y * width + x] = 0.9; // 8-connected blob of 5
    for (const [x, y] of [
      [6, 6],
      [7, 6],
      [6, 7],
      [7, 7],
    ] as [number, number][])
      data[y * width + x] = 0.6;
    data[7] = 0.95; // a lone pixel: below minArea
    const regions = defectRegions({ width, height: 8, data }, 0.5, 2);
    expect(regions).toEqual([
      { x: 1, y: 1, width: 3, height: 3, area: 5, peakScore: expect.closeTo(0.9, 6), meanScore: expect.closeTo(0.9, 6) },
      { x: 6, y: 6, width: 2, height: 2, area: 4, peakScore: expect.closeTo(0.6, 6), meanScore: expect.closeTo(0.6, 6) },
    ]);
    const scaled = scaleRegions(regions, { width: 8, height: 8 }, { width: 16, height: 32 });
    expect(scaled[1]).toMatchObject({ x: 12, y: 24, width: 4, height: 8, area: 32 });
  });
});

describe('class prototypes', () => {
  const vec = (...v: number[]) => Float32Array.from(v);
  const prototypes = buildPrototypes(
    ['gear', 'plate'],
    [
      [vec(1, 0.1, 0), vec(1, -0.1, 0)],
      [vec(0, 1, 0.1), vec(0, 1, -0.1)],
    ],
  );

  it('accepts an image like the selected product and warns on one like another product', () => {
    expect(checkPrototype(prototypes, vec(1, 0, 0), 'gear')).toMatchObject({ nearestClass: 'gear', warning: false });
    const wrong = checkPrototype(prototypes, vec(0.05, 1, 0), 'gear');
    expect(wrong.nearestClass).toBe('plate');
    expect(wrong.warning).toBe(true);
    expect(() => checkPrototype(prototypes, vec(1, 0, 0), 'nut')).toThrow(/Unknown product/);
  });

  it('warns on a part of a product the model has never seen, even when the selected product is the nearest it knows', () => {
    // Nearest to gear of the two, yet far further from gear than any gear training image (min similarity about 0.995).
    const unseen = checkPrototype(prototypes, vec(0.3, -0.2, 1), 'gear');
    expect(unseen).toMatchObject({ nearestClass: 'gear', warning: false, farOutside: true }); // the judgement looks at the map too
    // A gear a little outside its training images' spread is not far outside.
    expect(checkPrototype(prototypes, vec(1, 0.12, 0), 'gear')).toMatchObject({ warning: false, farOutside: false });
  });

  it('pools token features by their mean', () => {
    expect([...pooledEmbedding(vec(1, 2, 3, 4), 2, 2)]).toEqual([2, 3]);
  });
});
