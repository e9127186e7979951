import sharp from 'sharp';
import { resizeScoreMap, type ScoreMap } from '../engine/scoring/anomalyMap';
import type { RgbImage } from '../ingest/imageDecoder';

/** Blue-green-yellow-red ramp for t in [0, 1]. */
function heatColour(t: number): [number, number, number] {
  const stops: [number, number, number][] = [
    [0, 0, 255],
    [0, 255, 255],
    [255, 255, 0],
    [255, 0, 0],
  ];
  const x = Math.min(Math.max(t, 0), 1) * (stops.length - 1);
  const i = Math.min(Math.floor(x), stops.length - 2);
  const f = x - i;
  const [a, b] = [stops[i] as [number, number, number], stops[i + 1] as [number, number, number]];
  return [a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1]), a[2] + f * (b[2] - a[2])];
}

/**
 * The image with the anomaly map laid over it (heat grows from half the threshold to twice it) and
 * the outline of the above-threshold region drawn in red. `opacity` is the heat layer's strength.
 */
export function renderOverlay(image: RgbImage, map: ScoreMap, threshold: number, opacity = 0.5): Buffer {
  const { width, height } = image;
  const scaled = map.width === width && map.height === height ? map : resizeScoreMap(map, width, height);
  const out = Buffer.from(image.data);
  const lo = threshold * 0.5;
  const span = Math.max(threshold * 1.5, 1e-12);
  const above = (x: number, y: number) => (scaled.data[y * width + x] as number) > threshold;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const v = scaled.data[i] as number;
      const t = (v - lo) / span;
      if (
        above(x, y) &&
        (x === 0 ||
          y === 0 ||
          x === width - 1 ||
          y === height - 1 ||
          !above(x - 1, y) ||
          !above(x + 1, y) ||
          !above(x, y - 1) ||
          !above(x, y + 1))
      ) {
        out.set([255, 0, 0], i * 3);
        continue;
      }
      if (t <= 0) continue;
      const alpha = opacity * Math.min(1, t);
      const colour = heatColour(t);
      for (let c = 0; c < 3; c++) out[i * 3 + c] = Math.round((out[i * 3 + c] as number) * (1 - alpha) + (colour[c] as number) * alpha);
    }
  }
  return out;
}

export async function writeOverlayPng(file: string, image: RgbImage, map: ScoreMap, threshold: number, opacity?: number): Promise<void> {
  await sharp(renderOverlay(image, map, threshold, opacity), { raw: { width: image.width, height: image.height, channels: 3 } })
    .png()
    .toFile(file);
}

/** The anomaly map as an 8-bit PNG where 128 is the threshold (so the file is readable by eye too). */
export async function writeScoreMapPng(file: string, map: ScoreMap, threshold: number): Promise<void> {
  const bytes = Buffer.from(Array.from(map.data, (v) => Math.max(0, Math.min(255, Math.round((v / Math.max(threshold, 1e-12)) * 128)))));
  await sharp(bytes, { raw: { width: map.width, height: map.height, channels: 1 } })
    .toColourspace('b-w')
    .png()
    .toFile(file);
}
