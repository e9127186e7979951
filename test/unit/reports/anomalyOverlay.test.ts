import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { ScoreMap } from '../../../src/main/engine/scoring/anomalyMap';
import type { RgbImage } from '../../../src/main/ingest/imageDecoder';
import { renderOverlay, scoreMapBytes, writeOverlayJpeg, writeScoreMapPng } from '../../../src/main/reports/anomalyOverlay';
import { useTempDirs } from '../../helpers/tempDir';

const tempDir = useTempDirs();
const SIDE = 16;

const grey = (width: number, height: number): RgbImage => ({
  width,
  height,
  data: Buffer.alloc(width * height * 3, 100),
  format: 'png',
  sourceWidth: width,
  sourceHeight: height,
  frame: { x: 0, y: 0, width: 1, height: 1 },
});

/** 0 everywhere but a 6x6 square of `value` at (5, 5). */
function squareMap(value: number): ScoreMap {
  const data = new Float32Array(SIDE * SIDE);
  for (let y = 5; y < 11; y++) for (let x = 5; x < 11; x++) data[y * SIDE + x] = value;
  return { width: SIDE, height: SIDE, data };
}

const pixel = (data: Buffer, x: number, y: number, width = SIDE) => [...data.subarray((y * width + x) * 3, (y * width + x) * 3 + 3)];

describe('anomaly overlay', () => {
  it('outlines the above-threshold region in red, heats its inside and leaves calm pixels alone', () => {
    const out = renderOverlay(grey(SIDE, SIDE), squareMap(10), 5);
    expect(pixel(out, 5, 5)).toEqual([255, 0, 0]); // the square's edge
    expect(pixel(out, 10, 7)).toEqual([255, 0, 0]);
    expect(pixel(out, 7, 7)).toEqual([178, 50, 50]); // inside: t = 1, full red at half opacity over grey 100
    expect(pixel(out, 2, 2)).toEqual([100, 100, 100]); // under half the threshold: untouched
  });

  it('ramps the heat from half the threshold: a quarter of the way is cyan-ish blue at a quarter of the opacity', () => {
    const out = renderOverlay(grey(SIDE, SIDE), squareMap(5 + 15 * 0.25), 10);
    // t = 0.25 on the blue-cyan-yellow-red ramp is (0, 191, 255), blended at alpha 0.125.
    expect(pixel(out, 7, 7)).toEqual([88, 111, 119]);
  });

  it('draws a map smaller than the image stretched over all of it', () => {
    const out = renderOverlay(grey(SIDE * 2, SIDE * 2), squareMap(10), 5);
    expect(pixel(out, 15, 15, SIDE * 2)).toEqual([178, 50, 50]);
    expect(pixel(out, 3, 3, SIDE * 2)).toEqual([100, 100, 100]);
  });

  it('writes the overlay as a JPEG at the image size and the map as a greyscale PNG with the threshold at 128', async () => {
    const dir = tempDir();
    const [overlay, mapFile] = [path.join(dir, 'a-overlay.jpg'), path.join(dir, 'a-map.png')];
    const map = squareMap(10);
    await Promise.all([writeOverlayJpeg(overlay, grey(40, 24), map, 5), writeScoreMapPng(mapFile, map, 5)]);
    expect(await sharp(overlay).metadata()).toMatchObject({ format: 'jpeg', width: 40, height: 24 });
    expect(await sharp(mapFile).metadata()).toMatchObject({ format: 'png', width: SIDE, height: SIDE, channels: 1 });
    const stored = await sharp(mapFile).extractChannel(0).raw().toBuffer();
    expect(stored.equals(scoreMapBytes(map, 5))).toBe(true);
    expect([stored[0], stored[7 * SIDE + 7]]).toEqual([0, 255]);
    expect(scoreMapBytes({ width: 1, height: 1, data: Float32Array.of(5) }, 5)[0]).toBe(128);
  });
});
