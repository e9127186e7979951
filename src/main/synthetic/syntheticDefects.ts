import type { ProductRecipe } from './syntheticProducts';
import type { RgbCanvas } from './rgbCanvas';

export const DEFECT_TYPES = ['scratch', 'spot', 'crack', 'missing', 'stain'] as const;
export type DefectType = (typeof DEFECT_TYPES)[number];

/** Binary defect mask (1 = defect), width x height; a defect only changes pixels inside its mask. */
export type DefectMask = Uint8Array;

function distanceToSegment(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const [vx, vy] = [bx - ax, by - ay];
  const t = Math.max(0, Math.min(1, ((px - ax) * vx + (py - ay) * vy) / (vx * vx + vy * vy || 1)));
  return Math.hypot(px - (ax + t * vx), py - (ay + t * vy));
}

/** Paints `colourAt` with `weightAt` wherever `inside` holds, recording the mask. */
function paint(
  canvas: RgbCanvas,
  inside: (x: number, y: number) => boolean,
  colourAt: (x: number, y: number) => number[],
  weightAt: (x: number, y: number) => number = () => 1,
): DefectMask {
  const mask = new Uint8Array(canvas.width * canvas.height);
  for (let y = 0; y < canvas.height; y++) {
    for (let x = 0; x < canvas.width; x++) {
      if (!inside(x, y)) continue;
      mask[y * canvas.width + x] = 1;
      canvas.blend(x, y, colourAt(x, y), weightAt(x, y));
    }
  }
  return mask;
}

function polyline(points: [number, number][], width: number): (x: number, y: number) => boolean {
  return (x, y) => {
    for (let i = 1; i < points.length; i++) {
      const [a, b] = [points[i - 1] as [number, number], points[i] as [number, number]];
      if (distanceToSegment(x, y, a[0], a[1], b[0], b[1]) <= width / 2) return true;
    }
    return false;
  };
}

/** Draws one defect of `type` on a good image, near the part's centre, and returns its mask. */
export function applyDefect(canvas: RgbCanvas, type: DefectType, recipe: ProductRecipe, random: () => number): DefectMask {
  const size = canvas.width;
  const cx = size / 2 + (random() - 0.5) * size * 0.3;
  const cy = size / 2 + (random() - 0.5) * size * 0.3;
  const dark = recipe.background.map((v) => v * 0.3);
  switch (type) {
    case 'scratch': {
      const angle = random() * Math.PI;
      const half = size * (0.1 + random() * 0.1);
      const [dx, dy] = [Math.cos(angle) * half, Math.sin(angle) * half];
      const bright = [245, 245, 240];
      return paint(
        canvas,
        polyline(
          [
            [cx - dx, cy - dy],
            [cx + dx, cy + dy],
          ],
          1.5 + random(),
        ),
        () => bright,
        () => 0.85,
      );
    }
    case 'spot': {
      const r = size * (0.025 + random() * 0.025);
      return paint(
        canvas,
        (x, y) => Math.hypot(x - cx, y - cy) <= r,
        () => dark,
      );
    }
    case 'crack': {
      const points: [number, number][] = [[cx, cy]];
      let angle = random() * 2 * Math.PI;
      for (let i = 0; i < 10; i++) {
        angle += (random() - 0.5) * 1.2;
        const [px, py] = points[points.length - 1] as [number, number];
        points.push([px + Math.cos(angle) * size * 0.03, py + Math.sin(angle) * size * 0.03]);
      }
      return paint(
        canvas,
        polyline(points, 1.5),
        () => dark,
        () => 0.9,
      );
    }
    case 'missing': {
      const [w, h] = [size * (0.08 + random() * 0.08), size * (0.06 + random() * 0.06)];
      // What shows through a hole: a flat surface that contrasts with the part's background.
      const behind = recipe.background.reduce((a, b) => a + b, 0) / 3 > 50 ? [10, 10, 12] : [120, 120, 125];
      return paint(
        canvas,
        (x, y) => Math.abs(x - cx) <= w / 2 && Math.abs(y - cy) <= h / 2,
        () => behind,
      );
    }
    case 'stain': {
      const [rx, ry] = [size * (0.05 + random() * 0.05), size * (0.04 + random() * 0.04)];
      const tint = [150, 95, 40];
      const d2 = (x: number, y: number) => ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2;
      return paint(
        canvas,
        (x, y) => d2(x, y) <= 1,
        () => tint,
        (x, y) => 0.45 + 0.4 * (1 - d2(x, y)),
      );
    }
  }
}
