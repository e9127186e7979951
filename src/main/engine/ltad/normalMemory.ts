import { coresetCover, coresetIndices } from '../linalg/greedyCoreset';
import { productSeed, seededRandom, seededShuffle } from '../seededRandom';
import type { LtadNetwork } from './ltadNetwork';
import { CELL_COST_PARAMETER, CELLS_PARAMETER, CHANNEL_SCALE_PARAMETER, MEMORY_PARAMETER } from './memoryReconstruction';
import type { TrainingRows } from './trainingRows';
import { quantisedValues } from './weightFiles';

/**
 * Each product's memory of normal tokens (docs/method.md, Reconstruction from a memory of normal
 * tokens): `size` standardised training tokens of that product chosen by greedy k-center, so that
 * every training token lies near one of them. The memory reconstruction module compares every
 * token with these (and refines them by training only when the config says memoryTrainable).
 */
export interface NormalMemoryOptions {
  size: number;
  /** Images per product the coreset is chosen from (bounds the selection's time). */
  maxImages: number;
  projectionDim: number;
  /** One seed per product (seededRandom.ts, productSeed), so that a product's memory is the same whatever is trained beside it. */
  productSeeds: readonly number[];
  /** Per-channel scale of the distances the coreset covers (memoryReconstruction.ts, CHANNEL_SCALE_PARAMETER). */
  channelScale?: Float32Array;
  /**
   * One grid cell of displacement costs as much as this fraction of the product's typical token
   * distance (0: position plays no part). See cellCost.
   */
  positionWeight: number;
  /** Token grid side (tokens = grid * grid). */
  grid: number;
}

export const DEFAULT_MEMORY_SELECTION = { maxImages: 160, projectionDim: 128 };

export interface NormalMemory {
  /** [classCount, size, dim]: classes with fewer tokens than `size` repeat theirs (a repeat changes no nearest neighbour). */
  entries: Float32Array;
  /** [classCount, size, 2]: each entry's grid column and row. */
  cells: Float32Array;
  /** [classCount]: what one cell of squared displacement adds to a distance (mean over channels, as memoryReconstruction.ts measures). */
  cellCosts: Float32Array;
  /** The training row each entry was taken from, [classCount * size]: scoring a training image leaves its own entries out. */
  sourceRows: Int32Array;
}

export function buildNormalMemory(rows: TrainingRows, classCount: number, options: NormalMemoryOptions): NormalMemory {
  const { size } = options;
  const { tokens, dim } = rows;
  const memory = new Float32Array(classCount * size * dim);
  const cells = new Float32Array(classCount * size * 2);
  const cellCosts = new Float32Array(classCount);
  const sourceRows = new Int32Array(classCount * size);
  for (let c = 0; c < classCount; c++) {
    const seed = options.productSeeds[c];
    if (seed === undefined) throw new Error(`No memory seed for product ${c}`);
    const random = seededRandom(seed);
    const own = [...rows.classIndex.keys()].filter((r) => rows.classIndex[r] === c);
    if (own.length === 0) throw new Error(`Class ${c} has no training images to build its memory from`);
    const picked = seededShuffle(own, random)
      .slice(0, options.maxImages)
      .sort((a, b) => a - b);
    const candidates = rows.read(picked);
    const count = picked.length * tokens;
    const scale = options.channelScale;
    const distanceSpace = scale ? candidates.map((v, i) => v * (scale[i % dim] as number)) : candidates;
    const { chosen, cellCost } = chooseEntries(distanceSpace, count, dim, options, random);
    cellCosts[c] = cellCost;
    for (let s = 0; s < size; s++) {
      const index = chosen[s % chosen.length] as number;
      const token = index % tokens;
      memory.set(candidates.subarray(index * dim, (index + 1) * dim), (c * size + s) * dim);
      cells.set([token % options.grid, Math.floor(token / options.grid)], (c * size + s) * 2);
      sourceRows[c * size + s] = picked[Math.floor(index / tokens)] as number;
    }
  }
  return { entries: memory, cells, cellCosts, sourceRows };
}

/**
 * The coreset of one product's candidate tokens, chosen on appearance and position together, and
 * the cost of one cell of displacement: (positionWeight * d)^2 / dim, with d the median distance of
 * a candidate token to an appearance-only coreset, so that the weight means the same on every
 * product and backbone. Position channels scaled by positionWeight * d make the coreset cover every
 * place on the part, not only every appearance.
 */
function chooseEntries(
  distanceSpace: Float32Array,
  count: number,
  dim: number,
  options: NormalMemoryOptions,
  random: () => number,
): { chosen: Int32Array; cellCost: number } {
  const { size, projectionDim, positionWeight, grid } = options;
  if (positionWeight <= 0) return { chosen: coresetIndices(distanceSpace, count, dim, size, projectionDim, random), cellCost: 0 };
  const typical = Math.sqrt(medianCover(coresetCover(distanceSpace, count, dim, size, projectionDim, random).squaredDistances));
  const perCell = positionWeight * typical;
  const tokens = grid * grid;
  const placed = new Float32Array(count * (dim + 2));
  for (let r = 0; r < count; r++) {
    placed.set(distanceSpace.subarray(r * dim, (r + 1) * dim), r * (dim + 2));
    const token = r % tokens;
    placed[r * (dim + 2) + dim] = (token % grid) * perCell;
    placed[r * (dim + 2) + dim + 1] = Math.floor(token / grid) * perCell;
  }
  return { chosen: coresetIndices(placed, count, dim + 2, size, projectionDim, random), cellCost: (perCell * perCell) / dim };
}

/** Median squared distance of the points not chosen (a chosen point's own 0 says nothing). */
function medianCover(squaredDistances: Float32Array): number {
  const uncovered = Float32Array.from(squaredDistances.filter((d) => d > 0)).sort();
  return uncovered.length === 0 ? 0 : (uncovered[Math.floor(uncovered.length / 2)] as number);
}

/** The memories' seeds of the named products (productSeed): a product's memory ignores its neighbours. */
export function productMemorySeeds(seed: number, names: readonly string[]): number[] {
  return names.map((name) => productSeed(seed + 11, name));
}

/**
 * Builds the memory reconstruction module's per-product memories from the training rows, once.
 * `productSeeds` default to the config's seed plus the product's index.
 */
export function ensureNormalMemory(net: LtadNetwork, rows: TrainingRows, productSeeds?: readonly number[]): void {
  const { config } = net;
  if (config.reconstruction !== 'memory' || net.store.has(MEMORY_PARAMETER)) return;
  const channelScale = Float32Array.from(rows.channelStd ?? new Float32Array(net.dim).fill(1));
  const memory = buildNormalMemory(rows, net.classCount, {
    ...DEFAULT_MEMORY_SELECTION,
    size: config.memorySize,
    productSeeds: productSeeds ?? Array.from({ length: net.classCount }, (_, c) => config.seed + 11 + c),
    channelScale,
    positionWeight: config.memoryPositionWeight ?? 0,
    grid: config.grid,
  });
  // The model file keeps the memory as 8-bit values: train and calibrate on exactly those.
  const entries = quantisedValues(memory.entries, net.dim);
  net.store.load({ [MEMORY_PARAMETER]: { shape: [net.classCount, config.memorySize, net.dim], data: entries } }, config.memoryTrainable);
  net.store.load({ [CHANNEL_SCALE_PARAMETER]: { shape: [net.dim], data: channelScale } }, false);
  if ((config.memoryPositionWeight ?? 0) > 0) {
    net.store.load(
      {
        [CELLS_PARAMETER]: { shape: [net.classCount, config.memorySize, 2], data: memory.cells },
        [CELL_COST_PARAMETER]: { shape: [net.classCount], data: memory.cellCosts },
      },
      false,
    );
  }
  net.memorySourceRows = memory.sourceRows;
}

/** A trained memory back on the values its model file will hold, so that calibration scores those. */
export function requantiseMemory(net: LtadNetwork): void {
  if (net.config.reconstruction !== 'memory' || !net.config.memoryTrainable) return;
  const memory = net.store.get(MEMORY_PARAMETER);
  net.store.load({ [MEMORY_PARAMETER]: { shape: [...memory.shape], data: quantisedValues(memory.dataSync() as Float32Array, net.dim) } });
}
