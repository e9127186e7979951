import { describe, expect, it } from 'vitest';
import { productPrototypes } from '../../../../src/main/engine/calibration/productPrototypes';
import { checkPrototype } from '../../../../src/main/engine/scoring/classPrototypes';

const v = (...values: number[]) => Float32Array.from(values);

describe("the products' prototypes as the model keeps them", () => {
  it("is each product's unit mean direction, with its lowest own similarity, as plain numbers", () => {
    const record = productPrototypes(['gear', 'bracket'], [[v(2, 0), v(0, 2)], [v(0, 5)]], 2);
    expect(record.dim).toBe(2);
    expect(Array.isArray(record.vectors)).toBe(true); // JSON in model.json, not a typed array
    expect(record.vectors).toEqual([expect.closeTo(Math.SQRT1_2, 6), expect.closeTo(Math.SQRT1_2, 6), 0, 1]);
    expect(record.minSimilarity).toEqual([expect.closeTo(Math.SQRT1_2, 6), expect.closeTo(1, 6)]);
    // What inspection does with it: an image like the bracket, checked as a gear, is flagged.
    const prototypes = {
      classNames: ['gear', 'bracket'],
      vectors: Float32Array.from(record.vectors),
      dim: record.dim,
      minSimilarity: record.minSimilarity,
    };
    expect(checkPrototype(prototypes, v(-0.3, 1), 'gear')).toMatchObject({ nearestClass: 'bracket', warning: true });
  });

  it('keeps the width and accepts nothing to look like for a product without images', () => {
    const record = productPrototypes(['gear', 'empty'], [[v(1, 0, 0)], []], 3);
    expect(record).toMatchObject({ dim: 3, minSimilarity: [expect.closeTo(1, 6), 1] });
    expect(record.vectors.slice(3)).toEqual([0, 0, 0]);
    expect(productPrototypes(['empty'], [[]], 3).dim).toBe(3); // the model's width, though no image shows it
  });
});
