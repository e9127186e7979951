/** Fewer good images than this always counts as the tail: too few to cover a product's normal variation. */
export const TAIL_MIN_IMAGES = 10;
/** A product with under this share of the best-covered product's images is in the tail. */
export const TAIL_SHARE = 0.25;

/** Which products are in the long tail, given each one's number of good training images. */
export function tailProducts(counts: ReadonlyMap<string, number>): Set<string> {
  const largest = Math.max(0, ...counts.values());
  const limit = Math.max(TAIL_MIN_IMAGES, TAIL_SHARE * largest);
  return new Set([...counts].filter(([, n]) => n < limit).map(([name]) => name));
}
