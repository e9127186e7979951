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

/** The ramp at HEAT_STEPS points, so a pixel looks its colour up (a step is under half a colour level). */
const HEAT_STEPS = 1024;
const HEAT_TABLE = Float32Array.from(
  { length: HEAT_STEPS * 3 },
  (_, k) => heatColour(Math.floor(k / 3) / (HEAT_STEPS - 1))[k % 3] as number,
);

/** 1 where the map is above the threshold. */
function aboveMask(map: ScoreMap, threshold: number): Uint8Array {
  const mask = new Uint8Array(map.data.length);
  for (let i = 0; i < mask.length; i++) mask[i] = (map.data[i] as number) > threshold ? 1 : 0;
  return mask;
}

/** An above-threshold pixel on the region's edge: at the image border or next to one that is not above. */
function onOutline(mask: Uint8Array, x: number, y: number, width: number, height: number): boolean {
  const i = y * width + x;
  if (x === 0 || y === 0 || x === width - 1 || y === height - 1) return true;
  return mask[i - 1] === 0 || mask[i + 1] === 0 || mask[i - width] === 0 || mask[i + width] === 0;
}

/**
 * The image with the anomaly map laid over it (heat grows from half the threshold to twice it) and
 * the outline of the above-threshold region drawn in red. `opacity` is the heat layer's strength.
 */
export function renderOverlay(image: RgbImage, map: ScoreMap, threshold: number, opacity = 0.5): Buffer {
  const { width, height } = image;
  const scaled = map.width === width && map.height === height ? map : resizeScoreMap(map, width, height);
  const mask = aboveMask(scaled, threshold);
  const out = Buffer.from(image.data);
  const lo = threshold * 0.5;
  const span = Math.max(threshold * 1.5, 1e-12);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (mask[i] === 1 && onOutline(mask, x, y, width, height)) {
        out[i * 3] = 255;
        out[i * 3 + 1] = 0;
        out[i * 3 + 2] = 0;
        continue;
      }
      const t = ((scaled.data[i] as number) - lo) / span;
      if (!(t > 0)) continue;
      const alpha = opacity * Math.min(1, t);
      const entry = Math.round(Math.min(1, t) * (HEAT_STEPS - 1)) * 3;
      for (let c = 0; c < 3; c++) {
        out[i * 3 + c] = Math.round((out[i * 3 + c] as number) * (1 - alpha) + (HEAT_TABLE[entry + c] as number) * alpha);
      }
    }
  }
  return out;
}

/**
 * The overlay as a JPEG (quality 90, no chroma subsampling, so the red outline stays sharp): it is a
 * picture for people, about a sixth of the PNG's size and quicker to encode; the inspected image
 * itself is kept as it came and the map losslessly (docs/ARCHITECTURE.md, Inspection files).
 */
export async function writeOverlayJpeg(file: string, image: RgbImage, map: ScoreMap, threshold: number, opacity?: number): Promise<void> {
  await sharp(renderOverlay(image, map, threshold, opacity), { raw: { width: image.width, height: image.height, channels: 3 } })
    .jpeg({ quality: 90, chromaSubsampling: '4:4:4' })
    .toFile(file);
}

/** The anomaly map's pixels where 128 is the threshold (so the PNG is readable by eye too). */
export function scoreMapBytes(map: ScoreMap, threshold: number): Buffer {
  const bytes = Buffer.alloc(map.data.length);
  const scale = 128 / Math.max(threshold, 1e-12);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.max(0, Math.min(255, Math.round((map.data[i] as number) * scale)));
  return bytes;
}

/** The anomaly map as an 8-bit greyscale PNG (scoreMapBytes). */
export async function writeScoreMapPng(file: string, map: ScoreMap, threshold: number): Promise<void> {
  await sharp(scoreMapBytes(map, threshold), { raw: { width: map.width, height: map.height, channels: 1 } })
    .toColourspace('b-w')
    .png()
    .toFile(file);
}
