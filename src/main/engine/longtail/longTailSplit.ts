import { seededRandom, seededShuffle } from '../seededRandom';
import { longTailCounts, type LongTailType } from './longTailCounts';

export interface ClassPool {
  name: string;
  /** Available training images (paths or ids). */
  items: readonly string[];
}

/** Which class gets rank 0 (the most images). */
export type ClassOrder = 'available' | 'name' | 'shuffle';

export interface LongTailOptions {
  type: LongTailType;
  beta: number;
  /** Images for the head class; defaults to the largest pool. */
  nMax?: number;
  seed: number;
  order?: ClassOrder;
}

export interface LongTailClass {
  name: string;
  rank: number;
  available: number;
  /** What the protocol asked for. */
  requested: number;
  /** What was taken: min(requested, available). */
  n: number;
  items: string[];
}

export interface LongTailSplit {
  type: LongTailType;
  beta: number;
  nMax: number;
  seed: number;
  order: ClassOrder;
  classes: LongTailClass[];
}

function orderClasses(pools: readonly ClassPool[], order: ClassOrder, random: () => number): ClassPool[] {
  const byName = [...pools].sort((a, b) => a.name.localeCompare(b.name));
  if (order === 'name') return byName;
  if (order === 'shuffle') return seededShuffle(byName, random);
  return byName.sort((a, b) => b.items.length - a.items.length || a.name.localeCompare(b.name));
}

/**
 * Builds a long-tailed training split (docs/method.md, Evaluation): per-class counts from the exp
 * or step protocol, images drawn without repetition by a seeded shuffle. Test sets are not touched.
 */
export function buildLongTailSplit(pools: readonly ClassPool[], options: LongTailOptions): LongTailSplit {
  if (pools.length === 0) throw new Error('No classes to split');
  const empty = pools.filter((p) => p.items.length === 0).map((p) => p.name);
  if (empty.length > 0) throw new Error(`Classes without training images: ${empty.join(', ')}`);
  const random = seededRandom(options.seed);
  const order = options.order ?? 'available';
  const ordered = orderClasses(pools, order, random);
  const nMax = options.nMax ?? Math.max(...pools.map((p) => p.items.length));
  const counts = longTailCounts(options.type, ordered.length, nMax, options.beta);
  const classes = ordered.map((pool, rank) => {
    const requested = counts[rank] as number;
    const n = Math.min(requested, pool.items.length);
    const sortedItems = [...pool.items].sort();
    const items = seededShuffle(sortedItems, random).slice(0, n).sort();
    return { name: pool.name, rank, available: pool.items.length, requested, n, items };
  });
  return { type: options.type, beta: options.beta, nMax, seed: options.seed, order, classes };
}
