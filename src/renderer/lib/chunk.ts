/** Splits a list into consecutive batches of at most `size` items. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  return chunkWithin(items, size, Number.POSITIVE_INFINITY, () => 0);
}

/**
 * Consecutive batches of at most `size` items and at most `maxWeight` in total weight (an item
 * heavier than that alone goes in a batch of its own).
 */
export function chunkWithin<T>(items: readonly T[], size: number, maxWeight: number, weight: (item: T) => number): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let total = 0;
  for (const item of items) {
    const w = weight(item);
    if (current.length > 0 && (current.length >= size || total + w > maxWeight)) {
      batches.push(current);
      [current, total] = [[], 0];
    }
    current.push(item);
    total += w;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
