import { coresetIndices } from '../linalg/greedyCoreset';
import { seededRandom, seededShuffle } from '../seededRandom';
import type { LtadNetwork } from './ltadNetwork';
import { CHANNEL_SCALE_PARAMETER, MEMORY_PARAMETER } from './memoryReconstruction';
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
  seed: number;
  /** Per-channel scale of the distances the coreset covers (memoryReconstruction.ts, CHANNEL_SCALE_PARAMETER). */
  channelScale?: Float32Array;
}

export const DEFAULT_MEMORY_SELECTION = { maxImages: 160, projectionDim: 128 };

export interface NormalMemory {
  /** [classCount, size, dim]: classes with fewer tokens than `size` repeat theirs (a repeat changes no nearest neighbour). */
  entries: Float32Array;
  /** The training row each entry was taken from, [classCount * size]: scoring a training image leaves its own entries out. */
  sourceRows: Int32Array;
}

export function buildNormalMemory(rows: TrainingRows, classCount: number, options: NormalMemoryOptions): NormalMemory {
  const { size } = options;
  const { tokens, dim } = rows;
  const memory = new Float32Array(classCount * size * dim);
  const sourceRows = new Int32Array(classCount * size);
  const random = seededRandom(options.seed);
  for (let c = 0; c < classCount; c++) {
    const own = [...rows.classIndex.keys()].filter((r) => rows.classIndex[r] === c);
    if (own.length === 0) throw new Error(`Class ${c} has no training images to build its memory from`);
    const picked = seededShuffle(own, random).slice(0, options.maxImages).sort((a, b) => a - b);
    const candidates = rows.read(picked);
    const count = picked.length * tokens;
    const scale = options.channelScale;
    const distanceSpace = scale ? candidates.map((v, i) => v * (scale[i % dim] as number)) : candidates;
    const chosen = coresetIndices(distanceSpace, count, dim, size, options.projectionDim, random);
    for (let s = 0; s < size; s++) {
      const index = chosen[s % chosen.length] as number;
      memory.set(candidates.subarray(index * dim, (index + 1) * dim), (c * size + s) * dim);
      sourceRows[c * size + s] = picked[Math.floor(index / tokens)] as number;
    }
  }
  return { entries: memory, sourceRows };
}

/** Builds the memory reconstruction module's per-product memories from the training rows, once. */
export function ensureNormalMemory(net: LtadNetwork, rows: TrainingRows): void {
  const { config } = net;
  if (config.reconstruction !== 'memory' || net.store.has(MEMORY_PARAMETER)) return;
  const channelScale = Float32Array.from(rows.channelStd ?? new Float32Array(net.dim).fill(1));
  const memory = buildNormalMemory(rows, net.classCount, { ...DEFAULT_MEMORY_SELECTION, size: config.memorySize, seed: config.seed + 11, channelScale });
  // The model file keeps the memory as 8-bit values: train and calibrate on exactly those.
  const entries = quantisedValues(memory.entries, net.dim);
  net.store.load({ [MEMORY_PARAMETER]: { shape: [net.classCount, config.memorySize, net.dim], data: entries } }, config.memoryTrainable);
  net.store.load({ [CHANNEL_SCALE_PARAMETER]: { shape: [net.dim], data: channelScale } }, false);
  net.memorySourceRows = memory.sourceRows;
}

/** A trained memory back on the values its model file will hold, so that calibration scores those. */
export function requantiseMemory(net: LtadNetwork): void {
  if (net.config.reconstruction !== 'memory' || !net.config.memoryTrainable) return;
  const memory = net.store.get(MEMORY_PARAMETER);
  net.store.load({ [MEMORY_PARAMETER]: { shape: [...memory.shape], data: quantisedValues(memory.dataSync() as Float32Array, net.dim) } });
}
