import { describe, expect, it } from 'vitest';
import { seededNormals } from '../../../src/main/engine/seededNormals';

describe('seededNormals', () => {
  it('draws standard normal values: mean 0, variance 1, the normal share within 1 and 2 standard deviations', () => {
    const v = seededNormals(7, 200_001);
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length;
    const within = (k: number) => v.filter((x) => Math.abs(x) < k).length / v.length;
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(variance - 1)).toBeLessThan(0.01);
    expect(within(1)).toBeCloseTo(0.6827, 2);
    expect(within(2)).toBeCloseTo(0.9545, 2);
    expect(v.reduce((a, b) => Math.max(a, b), 0)).toBeGreaterThan(4);
  });

  it('gives the same values for the same seed, other values for another, and fills an odd count', () => {
    expect(seededNormals(3, 5)).toEqual(seededNormals(3, 5));
    expect(seededNormals(3, 5)).not.toEqual(seededNormals(4, 5));
    expect(Array.from(seededNormals(3, 5)).every(Number.isFinite)).toBe(true);
    const into = new Float32Array(8).fill(99);
    seededNormals(3, 5, into.subarray(2, 7));
    expect(into[0]).toBe(99);
    expect(into[7]).toBe(99);
    expect(Array.from(into.subarray(2, 7))).toEqual(Array.from(seededNormals(3, 5)));
  });
});
