import { describe, expect, it } from 'vitest';
import { decodeWeights, encodeWeights, quantisedValues } from '../../../../src/main/engine/ltad/weightFiles';

describe('weight files', () => {
  it('stores quantised tensors in a quarter of the space, within half a step per channel, beside exact float32 ones', () => {
    const memory = Float32Array.from({ length: 4 * 3 * 5 }, (_, i) => Math.sin(i) * (1 + (i % 5)) + (i % 5 === 4 ? 100 : 0));
    const small = Float32Array.from([1.5, -2.25, 3]);
    const weights = { memory: { shape: [4, 3, 5], data: memory }, small: { shape: [3], data: small } };
    const plain = encodeWeights(weights);
    const packed = encodeWeights(weights, { quantise: ['memory'] });
    expect(packed.bin.length).toBe((Math.ceil(60 / 4) + 3) * 4);
    expect(plain.bin.length).toBe((60 + 3) * 4);
    const decoded = decodeWeights(packed.manifest, packed.bin, 'test');
    expect([...(decoded.small?.data ?? [])]).toEqual([...small]);
    const entry = packed.manifest.find((e) => e.name === 'memory');
    decoded.memory?.data.forEach((v, i) =>
      expect(Math.abs(v - (memory[i] as number))).toBeLessThanOrEqual(((entry?.channelStep?.[i % 5] as number) / 2) * 1.0001),
    );
    // Values that were quantised already survive another save and load unchanged.
    const once = quantisedValues(memory, 5);
    const again = encodeWeights({ memory: { shape: [4, 3, 5], data: once } }, { quantise: ['memory'] });
    expect(decodeWeights(again.manifest, again.bin, 'test').memory?.data).toEqual(once);
  });

  it('refuses a quantised entry without its channel ranges, or a file too short for it', () => {
    const { manifest, bin } = encodeWeights({ m: { shape: [2, 4], data: new Float32Array(8).fill(1) } }, { quantise: ['m'] });
    expect(() => decodeWeights([{ ...manifest[0]!, channelMin: [] }], bin, 'model')).toThrow(/lacks its 4 channel ranges/);
    expect(() => decodeWeights(manifest, bin.subarray(0, 4), 'model')).toThrow(/too short/);
  });
});
