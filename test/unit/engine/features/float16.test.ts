import { describe, expect, it } from 'vitest';
import { decodeFloat16, encodeFloat16 } from '../../../../src/main/engine/features/float16';
import { seededRandom } from '../../../../src/main/engine/seededRandom';

describe('float16', () => {
  it('round-trips exactly representable values, and keeps others within half precision', () => {
    const exact = Float32Array.from([0, -0, 1, -2, 0.5, 65504, -65504, 2 ** -14, 2 ** -24, 1 + 2 ** -10]);
    expect([...decodeFloat16(encodeFloat16(exact))]).toEqual([...exact]);
    const random = seededRandom(3);
    const values = Float32Array.from({ length: 5000 }, () => (random() - 0.5) * 10 ** (random() * 8 - 4));
    const back = decodeFloat16(encodeFloat16(values));
    values.forEach((v, i) => {
      const tolerance = Math.max(Math.abs(v) * 2 ** -11, 2 ** -25);
      expect(Math.abs((back[i] as number) - v)).toBeLessThanOrEqual(tolerance);
    });
  });

  it('rounds ties to even and saturates instead of overflowing', () => {
    // 1 + 2^-11 lies halfway between 1 and 1 + 2^-10: ties go to the even mantissa, 1.
    expect(decodeFloat16(encodeFloat16(Float32Array.from([1 + 2 ** -11, 1 + 3 * 2 ** -11, 1e6, -1e9])))).toEqual(
      Float32Array.from([1, 1 + 2 ** -9, 65504, -65504]),
    );
    expect(Number.isNaN(decodeFloat16(encodeFloat16(Float32Array.from([Number.NaN])))[0])).toBe(true);
  });
});
