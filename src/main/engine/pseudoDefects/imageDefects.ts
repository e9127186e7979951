import type { FramePixels } from '../features/inputFrame';

/**
 * Defects painted onto real good images, for training (docs/method.md, Pseudo-anomalies): what the
 * backbone then sees looks like a defect of that product, which feature noise does not. Kinds:
 * - cutpaste: a patch of the image moved elsewhere (CutPaste), with a slight brightness change;
 * - scar: a thin, long, rotated strip of the image pasted elsewhere (CutPaste's scar);
 * - texture: a smooth-noise blob blended with a foreign texture (DRAEM's Perlin-noise anomalies);
 * - spot: a dark or bright soft-edged ellipse;
 * - scratch: a thin bright or dark curved line.
 * Everything is a pure function of the image and a seeded random source.
 */

export const IMAGE_DEFECT_KINDS = ['cutpaste', 'scar', 'texture', 'spot', 'scratch'] as const;
export type ImageDefectKind = (typeof IMAGE_DEFECT_KINDS)[number];

/** Interleaved RGB, 0..255, width x height. */
export interface RgbPixels {
  width: number;
  height: number;
  data: Uint8Array;
}

export interface PaintedDefect {
  image: RgbPixels;
  /** Coverage 0..1 per pixel, width x height. */
  mask: Float32Array;
  kind: ImageDefectKind;
}

/** Grey levels a pixel must change by to count as defective. */
const VISIBLE_CHANGE = 12;
const clamp255 = (v: number) => Math.max(0, Math.min(255, Math.round(v)));

/** Blends colour `rgb` into pixel i with weight w, recording the coverage. */
function blend(out: Uint8Array, mask: Float32Array, i: number, rgb: readonly number[], w: number): void {
  if (w <= 0) return;
  for (let c = 0; c < 3; c++) out[i * 3 + c] = clamp255((out[i * 3 + c] as number) * (1 - w) + (rgb[c] as number) * w);
  mask[i] = Math.max(mask[i] as number, w);
}

function meanColour(image: RgbPixels): number[] {
  const sum = [0, 0, 0];
  for (let i = 0; i < image.data.length; i++) sum[i % 3] = (sum[i % 3] as number) + (image.data[i] as number);
  return sum.map((s) => s / (image.width * image.height));
}

/** Smooth noise in [0, 1]: a few octaves of bilinearly interpolated random lattices (value noise). */
export function smoothNoise(width: number, height: number, random: () => number, cells = 4, octaves = 3): Float32Array {
  const out = new Float32Array(width * height);
  let amplitude = 1;
  let total = 0;
  for (let o = 0; o < octaves; o++) {
    const n = cells * 2 ** o;
    const lattice = Float32Array.from({ length: (n + 1) * (n + 1) }, () => random());
    for (let y = 0; y < height; y++) {
      const fy = (y / height) * n;
      const y0 = Math.floor(fy);
      const ty = fy - y0;
      for (let x = 0; x < width; x++) {
        const fx = (x / width) * n;
        const x0 = Math.floor(fx);
        const tx = fx - x0;
        const at = (yy: number, xx: number) => lattice[yy * (n + 1) + xx] as number;
        const top = at(y0, x0) * (1 - tx) + at(y0, x0 + 1) * tx;
        const bottom = at(y0 + 1, x0) * (1 - tx) + at(y0 + 1, x0 + 1) * tx;
        out[y * width + x] = (out[y * width + x] as number) + amplitude * (top * (1 - ty) + bottom * ty);
      }
    }
    total += amplitude;
    amplitude /= 2;
  }
  return out.map((v) => v / total);
}

/** Pastes the rectangle [sx, sy, w, h] of `source` at (dx, dy) of `out`, rotated by `angle` about its centre. */
function pastePatch(
  out: Uint8Array,
  mask: Float32Array,
  source: RgbPixels,
  patch: { sx: number; sy: number; w: number; h: number; dx: number; dy: number; angle: number; gain: number },
): void {
  const { width, height } = source;
  const [cos, sin] = [Math.cos(patch.angle), Math.sin(patch.angle)];
  const reach = Math.ceil(Math.hypot(patch.w, patch.h) / 2);
  const [cx, cy] = [patch.dx + patch.w / 2, patch.dy + patch.h / 2];
  for (let y = Math.max(0, Math.floor(cy - reach)); y < Math.min(height, Math.ceil(cy + reach)); y++) {
    for (let x = Math.max(0, Math.floor(cx - reach)); x < Math.min(width, Math.ceil(cx + reach)); x++) {
      // Position inside the unrotated patch.
      const u = cos * (x - cx) + sin * (y - cy) + patch.w / 2;
      const v = -sin * (x - cx) + cos * (y - cy) + patch.h / 2;
      if (u < 0 || v < 0 || u >= patch.w || v >= patch.h) continue;
      const [px, py] = [Math.min(width - 1, Math.floor(patch.sx + u)), Math.min(height - 1, Math.floor(patch.sy + v))];
      const from = (py * width + px) * 3;
      blend(
        out,
        mask,
        y * width + x,
        [0, 1, 2].map((c) => (source.data[from + c] as number) * patch.gain),
        1,
      );
    }
  }
}

function cutpaste(image: RgbPixels, out: Uint8Array, mask: Float32Array, random: () => number, scar: boolean): void {
  const { width, height } = image;
  const side = Math.min(width, height);
  const [w, h] = scar
    ? [Math.max(2, Math.round(side * (0.01 + random() * 0.02))), Math.round(side * (0.1 + random() * 0.2))]
    : [Math.round(side * (0.06 + random() * 0.14)), Math.round(side * (0.06 + random() * 0.14))];
  pastePatch(out, mask, image, {
    sx: Math.floor(random() * Math.max(1, width - w)),
    sy: Math.floor(random() * Math.max(1, height - h)),
    w,
    h,
    dx: Math.floor(random() * Math.max(1, width - w)),
    dy: Math.floor(random() * Math.max(1, height - h)),
    angle: scar ? random() * Math.PI : (random() - 0.5) * 0.6,
    gain: 0.8 + random() * 0.4,
  });
}

function texture(image: RgbPixels, out: Uint8Array, mask: Float32Array, random: () => number): void {
  const { width, height } = image;
  const shape = smoothNoise(width, height, random, 3 + Math.floor(random() * 4));
  const pattern = smoothNoise(width, height, random, 12 + Math.floor(random() * 12), 2);
  // Keep one blob: the top few percent of the shape noise.
  const sorted = Float32Array.from(shape).sort();
  const cut = sorted[Math.floor(sorted.length * (0.94 + random() * 0.05))] as number;
  const base = meanColour(image);
  const tint = [0, 1, 2].map(() => random() * 255);
  const opacity = 0.5 + random() * 0.5;
  for (let i = 0; i < width * height; i++) {
    if ((shape[i] as number) < cut) continue;
    const p = pattern[i] as number;
    blend(
      out,
      mask,
      i,
      tint.map((t, c) => t * p + (base[c] as number) * (1 - p) * 0.5),
      opacity,
    );
  }
}

function spot(image: RgbPixels, out: Uint8Array, mask: Float32Array, random: () => number): void {
  const { width, height } = image;
  const side = Math.min(width, height);
  const [rx, ry] = [side * (0.02 + random() * 0.06), side * (0.02 + random() * 0.06)];
  const [cx, cy] = [random() * width, random() * height];
  const level = meanColour(image).reduce((a, b) => a + b, 0) / 3;
  const colour =
    level > 110
      ? [20 + random() * 40, 15 + random() * 40, 10 + random() * 40]
      : [200 + random() * 55, 190 + random() * 60, 170 + random() * 80];
  for (let y = Math.max(0, Math.floor(cy - ry)); y < Math.min(height, Math.ceil(cy + ry)); y++) {
    for (let x = Math.max(0, Math.floor(cx - rx)); x < Math.min(width, Math.ceil(cx + rx)); x++) {
      const d = ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2;
      if (d <= 1) blend(out, mask, y * width + x, colour, Math.min(1, 1.5 * (1 - d) + 0.3));
    }
  }
}

function scratch(image: RgbPixels, out: Uint8Array, mask: Float32Array, random: () => number): void {
  const { width, height } = image;
  const side = Math.min(width, height);
  const level = meanColour(image).reduce((a, b) => a + b, 0) / 3;
  const colour = level > 110 ? [30, 30, 30] : [240, 240, 235];
  const half = 0.5 + random() * 1.2;
  let [x, y] = [random() * width, random() * height];
  let angle = random() * 2 * Math.PI;
  const steps = Math.round(side * (0.15 + random() * 0.25));
  for (let s = 0; s < steps; s++) {
    angle += (random() - 0.5) * 0.15;
    [x, y] = [x + Math.cos(angle), y + Math.sin(angle)];
    for (let yy = Math.floor(y - half - 1); yy <= Math.ceil(y + half + 1); yy++) {
      for (let xx = Math.floor(x - half - 1); xx <= Math.ceil(x + half + 1); xx++) {
        if (xx < 0 || yy < 0 || xx >= width || yy >= height) continue;
        const d = Math.hypot(xx - x, yy - y);
        if (d <= half + 1) blend(out, mask, yy * width + xx, colour, 0.85 * Math.min(1, half + 1 - d));
      }
    }
  }
}

/** One defect of `kind` painted on a copy of `image`, with its coverage mask. */
export function paintImageDefect(image: RgbPixels, kind: ImageDefectKind, random: () => number): PaintedDefect {
  if (image.data.length !== image.width * image.height * 3)
    throw new Error(`Image data holds ${image.data.length} values, expected ${image.width} x ${image.height} x 3`);
  const out = Uint8Array.from(image.data);
  const mask = new Float32Array(image.width * image.height);
  if (kind === 'cutpaste' || kind === 'scar') cutpaste(image, out, mask, random, kind === 'scar');
  else if (kind === 'texture') texture(image, out, mask, random);
  else if (kind === 'spot') spot(image, out, mask, random);
  else scratch(image, out, mask, random);
  // A pasted patch can look like what it covers: only pixels that visibly changed are the defect.
  for (let i = 0; i < mask.length; i++) {
    let change = 0;
    for (let c = 0; c < 3; c++) change = Math.max(change, Math.abs((out[i * 3 + c] as number) - (image.data[i * 3 + c] as number)));
    if (change < VISIBLE_CHANGE) mask[i] = 0;
  }
  return { image: { width: image.width, height: image.height, data: out }, mask, kind };
}

/**
 * paintImageDefect inside `within` (the image's own pixels when it was letterboxed into the input):
 * a defect on the bars beside a part is no lesson about the part. The mask covers the whole image.
 */
export function paintImageDefectWithin(image: RgbPixels, within: FramePixels, kind: ImageDefectKind, random: () => number): PaintedDefect {
  const { left, top, width, height } = within;
  if (left === 0 && top === 0 && width === image.width && height === image.height) return paintImageDefect(image, kind, random);
  const inner = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++)
    inner.set(image.data.subarray(((top + y) * image.width + left) * 3, ((top + y) * image.width + left + width) * 3), y * width * 3);
  const painted = paintImageDefect({ width, height, data: inner }, kind, random);
  const out = Uint8Array.from(image.data);
  const mask = new Float32Array(image.width * image.height);
  for (let y = 0; y < height; y++) {
    out.set(painted.image.data.subarray(y * width * 3, (y + 1) * width * 3), ((top + y) * image.width + left) * 3);
    mask.set(painted.mask.subarray(y * width, (y + 1) * width), (top + y) * image.width + left);
  }
  return { image: { width: image.width, height: image.height, data: out }, mask, kind };
}

/**
 * The mask at token resolution: each grid cell's label is its covered share, reaching 1 at a
 * quarter covered (a 2-pixel scratch across a 16-pixel cell is a defect of that cell).
 */
export function tokenLabels(mask: Float32Array, width: number, height: number, grid: number): Float32Array {
  const labels = new Float32Array(grid * grid);
  for (let gy = 0; gy < grid; gy++) {
    const [y0, y1] = [Math.floor((gy * height) / grid), Math.floor(((gy + 1) * height) / grid)];
    for (let gx = 0; gx < grid; gx++) {
      const [x0, x1] = [Math.floor((gx * width) / grid), Math.floor(((gx + 1) * width) / grid)];
      let covered = 0;
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) covered += mask[y * width + x] as number;
      const share = covered / Math.max(1, (y1 - y0) * (x1 - x0));
      labels[gy * grid + gx] = Math.min(1, share * 4);
    }
  }
  return labels;
}
