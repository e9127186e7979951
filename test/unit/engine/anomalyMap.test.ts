import { describe, expect, it } from 'vitest';
import { axisWeights, resizeFeatureMap } from '../../../src/main/engine/features/gridResize';
import { buildTokenMaps, imageTokens } from '../../../src/main/engine/features/tokenMaps';
import { gaussianBlur, maxPooledMean, resizeScoreMap } from '../../../src/main/engine/scoring/anomalyMap';

describe('grid resizing', () => {
  it('averages areas when shrinking and weights fractional overlaps', () => {
    // 4x4 single-channel map 0..15 to 2x2: the means of the 2x2 blocks
    const map = Float32Array.from({ length: 16 }, (_, i) => i);
    expect([...resizeFeatureMap(map, 1, 4, 4, 1, 2)]).toEqual([2.5, 4.5, 10.5, 12.5]);
    for (const taps of axisWeights(35, 17)) expect(taps.reduce((s, [, w]) => s + w, 0)).toBeCloseTo(1, 12);
    expect(axisWeights(3, 2)).toEqual([
      [[0, 2 / 3], [1, 1 / 3]],
      [[1, 1 / 3], [2, 2 / 3]],
    ]);
  });

  it('interpolates bilinearly when growing', () => {
    const up = resizeFeatureMap(Float32Array.from([0, 4]), 1, 1, 2, 1, 4);
    // 1 row -> 4 rows (copies), 2 columns -> 4 columns: 0, 1, 3, 4
    expect([...up.subarray(0, 4)]).toEqual([0, 1, 3, 4]);
  });

  it('concatenates every tap on one grid and keeps the layer widths', () => {
    const a = { name: 'a', shape: [1, 4, 4, 1] as [number, number, number, number], data: Float32Array.from({ length: 16 }, (_, i) => i) };
    const b = { name: 'b', shape: [1, 2, 2, 2] as [number, number, number, number], data: Float32Array.from([1, -1, 2, -2, 3, -3, 4, -4]) };
    const maps = buildTokenMaps([a, b], 2);
    expect(maps.layerChannels).toEqual([1, 2]);
    expect([...imageTokens(maps, 0)]).toEqual([2.5, 1, -1, 4.5, 2, -2, 10.5, 3, -3, 12.5, 4, -4]);
  });
});

describe('score maps', () => {
  it('upsamples a token map to image size', () => {
    const map = resizeScoreMap({ width: 2, height: 2, data: Float32Array.from([0, 1, 2, 3]) }, 4, 4);
    expect(map.data[0]).toBe(0);
    expect(map.data[15]).toBe(3);
    expect(map.data[1]).toBeCloseTo(0.25, 12);
  });

  it('blurs without changing the total of a flat map, and spreads a peak', () => {
    const flat = gaussianBlur({ width: 5, height: 5, data: new Float32Array(25).fill(2) }, 1);
    expect(flat.data.every((v) => Math.abs(v - 2) < 1e-5)).toBe(true);
    const peak = new Float32Array(49);
    peak[24] = 1;
    const blurred = gaussianBlur({ width: 7, height: 7, data: peak }, 1);
    expect(blurred.data[24]).toBeLessThan(1);
    expect(blurred.data[23]).toBeGreaterThan(0);
    expect(blurred.data.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 2); // edges repeat, so mass is kept only roughly
  });

  it('scores an image by its hottest window, not a single pixel', () => {
    const data = new Float32Array(16);
    data[0] = 8; // a lone hot pixel
    data[10] = data[11] = data[14] = data[15] = 3; // a 2x2 hot patch
    expect(maxPooledMean({ width: 4, height: 4, data }, 2)).toBe(3);
    expect(maxPooledMean({ width: 4, height: 4, data }, 1)).toBe(8);
  });
});
