import { coresetIndices } from '../linalg/greedyCoreset';
import { seededRandom, seededShuffle } from '../seededRandom';
import type { TrainingRows } from './trainingRows';

/**
 * Each product's memory of normal tokens (docs/method.md, Reconstruction from a memory of normal
 * tokens): `size` standardised training tokens of that product chosen by greedy k-center, so that
 * every training token lies near one of them. The memory reconstruction module starts from these
 * and refines them by training.
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
