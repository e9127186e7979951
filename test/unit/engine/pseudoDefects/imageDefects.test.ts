import { describe, expect, it } from 'vitest';
import {
  IMAGE_DEFECT_KINDS,
  paintImageDefect,
  paintImageDefectWithin,
  smoothNoise,
  tokenLabels,
  type RgbPixels,
} from '../../../../src/main/engine/pseudoDefects/imageDefects';
import { seededRandom } from '../../../../src/main/engine/seededRandom';

/** A textured grey part: stripes plus fine noise, so that pasted patches differ from what they cover. */
function part(size = 64): RgbPixels {
  const random = seededRandom(9);
  const data = new Uint8Array(size * size * 3);
  for (let i = 0; i < size * size; i++) {
    const v = 90 + 60 * Math.sin((i % size) / 3) + 20 * random();
    data.fill(Math.round(v), i * 3, i * 3 + 3);
  }
  return { width: size, height: size, data };
}

describe('painted defects', () => {
  it.each(IMAGE_DEFECT_KINDS)('%s: changes the image only where its mask says, and the same seed paints the same', (kind) => {
    const image = part();
    const a = paintImageDefect(image, kind, seededRandom(4));
    const b = paintImageDefect(image, kind, seededRandom(4));
    expect(a.image.data).toEqual(b.image.data);
    expect(image.data).toEqual(part().data); // the input is left as it was
    let changed = 0;
    for (let i = 0; i < image.width * image.height; i++) {
      const change = Math.max(...[0, 1, 2].map((c) => Math.abs((a.image.data[i * 3 + c] as number) - (image.data[i * 3 + c] as number))));
      if (change >= 12) {
        changed++;
        expect(a.mask[i]).toBeGreaterThan(0);
      } else expect(a.mask[i]).toBe(0);
    }
    expect(changed).toBeGreaterThan(0);
  });

  it('labels each token by its covered share, reaching 1 at a quarter', () => {
    const mask = new Float32Array(8 * 8);
    for (let x = 0; x < 4; x++) mask[x] = 1; // the first row of the top-left 4x4 cell: a quarter of it
    mask[4 * 8 + 4] = 1; // one pixel of the bottom-right cell: a sixteenth
    expect([...tokenLabels(mask, 8, 8, 2)]).toEqual([1, 0, 0, 0.25]);
  });

  it('makes smooth noise in [0, 1] that varies slowly', () => {
    const noise = smoothNoise(32, 32, seededRandom(2), 2, 1);
    expect(Math.min(...noise)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...noise)).toBeLessThanOrEqual(1);
    let step = 0;
    for (let i = 1; i < 32; i++) step = Math.max(step, Math.abs((noise[i] as number) - (noise[i - 1] as number)));
    expect(step).toBeLessThan(0.2);
  });

  it('refuses image data of the wrong size', () => {
    expect(() => paintImageDefect({ width: 4, height: 4, data: new Uint8Array(5) }, 'spot', seededRandom(1))).toThrow(/expected 4 x 4 x 3/);
  });
});

describe('defects on a letterboxed image', () => {
  it('are painted on the image alone, never on the bars beside it', () => {
    const image = part(64);
    const within = { left: 16, top: 0, width: 32, height: 64 };
    for (const [k, kind] of IMAGE_DEFECT_KINDS.entries()) {
      const painted = paintImageDefectWithin(image, within, kind, seededRandom(40 + k));
      let inside = 0;
      for (let y = 0; y < 64; y++) {
        for (let x = 0; x < 64; x++) {
          const i = y * 64 + x;
          const outside = x < 16 || x >= 48;
          if (outside) {
            expect(painted.mask[i]).toBe(0);
            expect([...painted.image.data.subarray(i * 3, i * 3 + 3)]).toEqual([...image.data.subarray(i * 3, i * 3 + 3)]);
          } else if ((painted.mask[i] as number) > 0) inside++;
        }
      }
      expect(inside).toBeGreaterThan(0);
    }
  });
});
