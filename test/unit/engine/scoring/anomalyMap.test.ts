import { describe, expect, it } from 'vitest';
import { pixelsOfFrame } from '../../../../src/main/engine/features/inputFrame';
import { framedAxisMatrix, upsampleBlurMatrix } from '../../../../src/main/engine/scoring/separableMapOperator';
import { axisWeights, resizeFeatureMap } from '../../../../src/main/engine/features/gridResize';
import { buildTokenMaps, imageTokens } from '../../../../src/main/engine/features/tokenMaps';
import { gaussianBlur, maxPooledMean, resizeScoreMap } from '../../../../src/main/engine/scoring/anomalyMap';
import { tokenScoresToMap } from '../../../../src/main/engine/scoring/mapPostprocess';

describe('maps of letterboxed images', () => {
  it('cut the bars off: the map covers the image alone, and a hot bar neither shows nor counts', () => {
    // A 4x4 grid; the image filled the middle two rows of the input (a wide part letterboxed).
    const frame = { x: 0, y: 0.25, width: 1, height: 0.5 };
    const barsHot = Float32Array.from({ length: 16 }, (_, t) => (t < 4 || t >= 12 ? 9 : 0));
    const cut = tokenScoresToMap(barsHot, 4, { size: 32, blurSigma: 0, scoreWindow: 1 }, frame);
    expect([cut.map.width, cut.map.height]).toEqual([32, 32]);
    expect(cut.imageScore).toBeLessThan(5); // the whole input's map would peak at 9
    expect(tokenScoresToMap(barsHot, 4, { size: 32, blurSigma: 0, scoreWindow: 1 }).imageScore).toBeCloseTo(9, 5);
    // A hot token at the right end of the image's lower row lands at the map's bottom right.
    const spot = new Float32Array(16);
    spot[11] = 10;
    const { map } = tokenScoresToMap(spot, 4, { size: 32, blurSigma: 0, scoreWindow: 1 }, frame);
    const peak = map.data.indexOf(Math.max(...map.data));
    expect(peak % 32).toBeGreaterThan(24);
    expect(Math.floor(peak / 32)).toBeGreaterThan(20);
  });
});

describe('grid resizing', () => {
  it('averages areas when shrinking and weights fractional overlaps', () => {
    // 4x4 single-channel map 0..15 to 2x2: the means of the 2x2 blocks
    const map = Float32Array.from({ length: 16 }, (_, i) => i);
    expect([...resizeFeatureMap(map, 1, 4, 4, 1, 2)]).toEqual([2.5, 4.5, 10.5, 12.5]);
    for (const taps of axisWeights(35, 17)) expect(taps.reduce((s, [, w]) => s + w, 0)).toBeCloseTo(1, 12);
    expect(axisWeights(3, 2)).toEqual([
      [
        [0, 2 / 3],
        [1, 1 / 3],
      ],
      [
        [1, 1 / 3],
        [2, 2 / 3],
      ],
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

describe('map post-processing against direct formulas', () => {
  const random = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => Math.abs(Math.sin(seed * 97 + i * 12.9898)) * 10);

  it('separable bilinear resize equals the direct two-axis weighted sum', () => {
    const map = { width: 14, height: 14, data: random(196, 1) };
    const rows = axisWeights(14, 224);
    const cols = axisWeights(14, 224);
    const fast = resizeScoreMap(map, 224, 224);
    let worst = 0;
    for (let y = 0; y < 224; y += 7) {
      for (let x = 0; x < 224; x += 5) {
        let direct = 0;
        for (const [sy, wy] of rows[y] as [number, number][])
          for (const [sx, wx] of cols[x] as [number, number][]) direct += wy * wx * (map.data[sy * 14 + sx] as number);
        worst = Math.max(worst, Math.abs(direct - (fast.data[y * 224 + x] as number)));
      }
    }
    expect(worst).toBeLessThan(1e-4);
  });

  it('blur equals the direct clamped convolution, edges included', () => {
    const map = { width: 40, height: 30, data: random(1200, 2) };
    const sigma = 2;
    const radius = Math.ceil(4 * sigma);
    const weights = Array.from({ length: 2 * radius + 1 }, (_, k) => Math.exp(-((k - radius) ** 2) / (2 * sigma * sigma)));
    const total = weights.reduce((a, b) => a + b, 0);
    const clamp = (v: number, n: number) => Math.min(n - 1, Math.max(0, v));
    const blurred = gaussianBlur(map, sigma);
    let worst = 0;
    for (const [y, x] of [
      [0, 0],
      [29, 39],
      [15, 20],
      [3, 37],
      [28, 2],
    ] as [number, number][]) {
      let direct = 0;
      for (let i = -radius; i <= radius; i++) {
        for (let j = -radius; j <= radius; j++)
          direct +=
            ((weights[i + radius] as number) *
              (weights[j + radius] as number) *
              (map.data[clamp(y + i, 30) * 40 + clamp(x + j, 40)] as number)) /
            (total * total);
      }
      worst = Math.max(worst, Math.abs(direct - (blurred.data[y * 40 + x] as number)));
    }
    expect(worst).toBeLessThan(1e-4);
  });

  it('the windowed image score equals a brute-force window scan', () => {
    const map = { width: 23, height: 19, data: random(23 * 19, 3) };
    let best = -Infinity;
    for (let y = 0; y + 5 <= 19; y++) {
      for (let x = 0; x + 5 <= 23; x++) {
        let sum = 0;
        for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) sum += map.data[(y + i) * 23 + x + j] as number;
        best = Math.max(best, sum / 25);
      }
    }
    expect(maxPooledMean(map, 5)).toBeCloseTo(best, 4);
  });
});

describe('token scores to an anomaly map', () => {
  it('the folded upsample-and-blur operator gives the map of resize then blur', () => {
    const scores = Float32Array.from({ length: 196 }, (_, i) => Math.abs(Math.cos(i * 0.37)) * 5 + (i === 97 ? 40 : 0));
    const options = { size: 224, blurSigma: 4, scoreWindow: 16 };
    const folded = tokenScoresToMap(scores, 14, options);
    const stepwise = gaussianBlur(resizeScoreMap({ width: 14, height: 14, data: scores }, 224, 224), 4);
    let worst = 0;
    for (let i = 0; i < stepwise.data.length; i++)
      worst = Math.max(worst, Math.abs((stepwise.data[i] as number) - (folded.map.data[i] as number)));
    expect(worst).toBeLessThan(1e-4);
    expect(folded.imageScore).toBeCloseTo(maxPooledMean(stepwise, 16), 4);
  });

  it('folds the cut to a letterboxed image and its stretch back into the same operator', () => {
    const scores = Float32Array.from({ length: 196 }, (_, i) => Math.abs(Math.sin(i * 0.53)) * 3 + (i === 60 ? 25 : 0));
    const cases = [
      { size: 224, blurSigma: 4, frame: { x: 0.3, y: 0, width: 0.4, height: 1 } }, // tall and narrow, as kolektor
      { size: 224, blurSigma: 4, frame: { x: 0, y: 0.29, width: 1, height: 0.41 } }, // wide, as ball_screw
      { size: 224, blurSigma: 0, frame: { x: 0.5, y: 0, width: 1 / 224, height: 1 } }, // one pixel wide, no blur
      { size: 97, blurSigma: 1.5, frame: { x: 0.8, y: 0.7, width: 0.2, height: 0.3 } }, // at the right and bottom edges, odd size
    ];
    for (const { size, blurSigma, frame } of cases) {
      const folded = tokenScoresToMap(scores, 14, { size, blurSigma, scoreWindow: 16 }, frame);
      const upsampled = resizeScoreMap({ width: 14, height: 14, data: scores }, size, size);
      const whole = blurSigma > 0 ? gaussianBlur(upsampled, blurSigma) : upsampled;
      const { left, top, width, height } = pixelsOfFrame(frame, size, size);
      const cut = new Float32Array(width * height);
      for (let y = 0; y < height; y++) cut.set(whole.data.subarray((top + y) * size + left, (top + y) * size + left + width), y * width);
      const stepwise = resizeScoreMap({ width, height, data: cut }, size, size);
      let [worst, largest] = [0, 0];
      for (let i = 0; i < stepwise.data.length; i++) {
        worst = Math.max(worst, Math.abs((stepwise.data[i] as number) - (folded.map.data[i] as number)));
        largest = Math.max(largest, Math.abs(stepwise.data[i] as number));
      }
      expect(worst / largest).toBeLessThan(1e-5);
      expect(folded.imageScore).toBeCloseTo(maxPooledMean(stepwise, 16), 4);
    }
  });

  it('refuses a frame that does not lie within the map', () => {
    const a = upsampleBlurMatrix(14, 224, 4);
    expect(() => framedAxisMatrix(a, 14, 224, 200, 30)).toThrow(/30 pixels from 200 does not lie within a map of 224/);
    expect(() => framedAxisMatrix(a, 14, 224, 0, 0)).toThrow(/does not lie within/);
    expect(() => framedAxisMatrix(a, 14, 224, 1.5, 10)).toThrow(/does not lie within/);
  });
});
