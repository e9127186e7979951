import { randomInt } from '../engine/seededRandom';
import { RgbCanvas } from './rgbCanvas';

export const PRODUCT_KINDS = ['stripes', 'grid', 'weave', 'dots', 'disc', 'ring', 'plate'] as const;
export type ProductKind = (typeof PRODUCT_KINDS)[number];
const OBJECT_KINDS: readonly ProductKind[] = ['disc', 'ring', 'plate'];

/** What makes one synthetic product look like itself: fixed per class. */
export interface ProductRecipe {
  kind: ProductKind;
  background: [number, number, number];
  foreground: [number, number, number];
  /** Pattern period in pixels (textures) or object radius as a fraction of the size (objects). */
  scale: number;
  angle: number;
  noise: number;
}

export function isObjectKind(kind: ProductKind): boolean {
  return OBJECT_KINDS.includes(kind);
}

function colour(random: () => number, lo: number, hi: number): [number, number, number] {
  return [randomInt(random, lo, hi), randomInt(random, lo, hi), randomInt(random, lo, hi)];
}

export function makeRecipe(classIndex: number, random: () => number): ProductRecipe {
  const kind = PRODUCT_KINDS[classIndex % PRODUCT_KINDS.length] as ProductKind;
  const object = isObjectKind(kind);
  return {
    kind,
    background: colour(random, 20, 90),
    foreground: colour(random, 120, 230),
    scale: object ? 0.28 + random() * 0.1 : 6 + random() * 10,
    angle: random() * Math.PI,
    noise: 3 + random() * 5,
  };
}

/** Gaussian-ish noise from the sum of uniforms: cheap and deterministic. */
function noise(random: () => number): number {
  return random() + random() + random() - 1.5;
}

/** The pattern value (0 = background, 1 = foreground) at (u, v) for a texture kind. */
function texture(kind: ProductKind, u: number, v: number, period: number): number {
  const s = (2 * Math.PI) / period;
  switch (kind) {
    case 'stripes':
      return 0.5 + 0.5 * Math.sin(u * s);
    case 'grid':
      return Math.max(Math.abs(Math.sin(u * s)), Math.abs(Math.sin(v * s))) > 0.92 ? 1 : 0.15;
    case 'weave':
      return 0.5 + 0.25 * Math.sin(u * s) * Math.cos(v * s * 0.5) + 0.25 * Math.sin((u + v) * s * 0.5);
    default: {
      // dots
      const du = (((u % period) + period) % period) - period / 2;
      const dv = (((v % period) + period) % period) - period / 2;
      return Math.hypot(du, dv) < period * 0.3 ? 1 : 0;
    }
  }
}

/** Signed inside-ness of an object kind at pixel offset (dx, dy) from the centre (> 0 inside). */
function objectShape(kind: ProductKind, dx: number, dy: number, radius: number): number {
  if (kind === 'disc') return radius - Math.hypot(dx, dy);
  if (kind === 'ring') return Math.min(radius - Math.hypot(dx, dy), Math.hypot(dx, dy) - radius * 0.45);
  return radius - Math.max(Math.abs(dx), Math.abs(dy) * 1.3); // plate
}

/**
 * One defect-free image of the product: the recipe plus the small variation real parts show
 * (position, rotation, lighting, sensor noise).
 */
export function renderGoodImage(recipe: ProductRecipe, size: number, random: () => number): RgbCanvas {
  const canvas = new RgbCanvas(size, size);
  const shift = [noise(random) * size * 0.02, noise(random) * size * 0.02];
  const angle = recipe.angle + noise(random) * 0.05;
  const light = 1 + noise(random) * 0.05;
  const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
  const radius = recipe.scale * size;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const dx = x - size / 2 - (shift[0] as number);
      const dy = y - size / 2 - (shift[1] as number);
      let t: number;
      if (isObjectKind(recipe.kind)) {
        const inside = objectShape(recipe.kind, dx * cos + dy * sin, -dx * sin + dy * cos, radius);
        t = Math.max(0, Math.min(1, inside + 0.5)); // one-pixel antialiased edge
        if (t > 0) t *= 0.85 + 0.15 * Math.sin((dx + dy) / (radius * 0.3)); // shading across the part
      } else {
        t = texture(recipe.kind, dx * cos + dy * sin, -dx * sin + dy * cos, recipe.scale);
      }
      const rgb = [0, 1, 2].map((c) => {
        const base = (recipe.background[c] as number) * (1 - t) + (recipe.foreground[c] as number) * t;
        return base * light + noise(random) * recipe.noise;
      });
      canvas.set(x, y, rgb);
    }
  }
  return canvas;
}
