import { productSeed, seededRandom, seededShuffle } from '../seededRandom';

/** The share of each product's good images held out for its threshold and calibration. */
export const HELD_OUT_FRACTION = 0.15;

/** Below this many good images a product keeps all of them for training: none are held out. */
export const MIN_IMAGES_FOR_HOLD_OUT = 6;

export interface HoldOutSplit {
  fit: string[];
  heldOut: string[];
}

/** holdOut with the product's own seed (productSeed): its split stays the same when products are added. */
export function productHoldOut(name: string, files: readonly string[], fraction: number, seed: number): HoldOutSplit {
  return holdOut(files, fraction, productSeed(seed, name));
}

/**
 * Splits a product's good images into training and held-out (for its threshold), seeded. The
 * files are sorted first, so the split does not depend on the order they were listed in.
 */
export function holdOut(files: readonly string[], fraction: number, seed: number): HoldOutSplit {
  const count = files.length >= MIN_IMAGES_FOR_HOLD_OUT ? Math.max(1, Math.floor(files.length * fraction)) : 0;
  const shuffled = seededShuffle([...files].sort(), seededRandom(seed));
  return { fit: shuffled.slice(count).sort(), heldOut: shuffled.slice(0, count).sort() };
}
