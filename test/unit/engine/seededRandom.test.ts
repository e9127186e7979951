import { describe, expect, it } from 'vitest';
import { productSeed } from '../../../src/main/engine/seededRandom';

describe('per-product seeds', () => {
  it("depend on the product's name and the seed only", () => {
    expect(productSeed(3, 'kolektor')).toBe(productSeed(3, 'kolektor'));
    expect(productSeed(3, 'kolektor')).not.toBe(productSeed(4, 'kolektor'));
    expect(productSeed(3, 'kolektor')).not.toBe(productSeed(3, 'capsule'));
    expect(Number.isInteger(productSeed(0, ''))).toBe(true);
  });
});
