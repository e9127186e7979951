import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { FeatureNormalisation } from '../../engine/features/featureNormalisation';
import { tokenDim, type TokenMaps } from '../../engine/features/tokenMaps';
import type { TokenRowFileInfo } from '../../engine/features/tokenRowFileInfo';
import { TokenRowFileWriter, type TokenRowFile } from '../../engineAdapters/tokenRowFile';
import { processIsAlive } from '../workers/processLiveness';
import type { TokenFeatureSource } from '../inspection/tokenFeatureSource';

/*
 * Where a training job keeps its backbone features: float16 files in a scratch folder, written as
 * they are extracted and read back a chunk at a time (docs/ARCHITECTURE.md, Training memory).
 */

export interface RowRange {
  first: number;
  count: number;
}

/** Token maps read from a row file, with the file row of the first map. */
export type RowChunk = TokenMaps & { firstRow: number };

/** Rows of a range, read as token maps of at most CALIBRATION_CHUNK images (at most `limit` rows in all). */
const CALIBRATION_CHUNK = 32;
export function* chunksOf(
  file: TokenRowFile | undefined,
  range: RowRange | undefined,
  layerChannels: number[],
  grid: number,
  limit = Number.POSITIVE_INFINITY,
): Generator<RowChunk> {
  if (!file || !range) return;
  const total = Math.min(range.count, limit);
  for (let done = 0; done < total; done += CALIBRATION_CHUNK) {
    const count = Math.min(CALIBRATION_CHUNK, total - done);
    yield { count, grid, layerChannels, firstRow: range.first + done, data: file.range(range.first + done, count) };
  }
}

/** Results of `fn` over chunks read one at a time, so that one chunk is in memory at once. */
export function overChunks<T, M extends TokenMaps = TokenMaps>(chunks: Iterable<M>, fn: (maps: M) => T[]): T[] {
  const out: T[] = [];
  for (const maps of chunks) out.push(...fn(maps));
  return out;
}

export interface StoredFeatures {
  fit: TokenRowFileInfo;
  fitClassIndex: Int32Array;
  fitRanges: RowRange[];
  heldOut?: TokenRowFileInfo;
  heldOutRanges: RowRange[];
  layerChannels: number[];
  normalisation: FeatureNormalisation;
}

/**
 * Backbone features of every training and held-out image, written to float16 files in `dir` as
 * they are computed (docs/ARCHITECTURE.md, Training memory); the normalisation is over the
 * training images.
 */
export async function storeFeatures(
  source: TokenFeatureSource,
  splits: { name: string; fit: string[]; heldOut: string[] }[],
  grid: number,
  dir: string,
  log: (line: string) => void,
  check: () => void,
): Promise<StoredFeatures> {
  let fitWriter: TokenRowFileWriter | undefined;
  let heldOutWriter: TokenRowFileWriter | undefined;
  let layerChannels: number[] = [];
  const writerFor = (name: string, maps: TokenMaps) => new TokenRowFileWriter(path.join(dir, name), grid * grid, tokenDim(maps));
  const fitRanges: RowRange[] = [];
  const heldOutRanges: RowRange[] = [];
  const classIndex: number[] = [];
  let [fitRows, heldOutRows] = [0, 0];
  try {
    for (const [c, split] of splits.entries()) {
      log(`features: ${split.name} (${split.fit.length} training + ${split.heldOut.length} held-out images)`);
      await source.stream(split.fit, (maps) => {
        check(); // a cancel during feature extraction stops at the next batch
        layerChannels = maps.layerChannels;
        fitWriter ??= writerFor('fit.f16', maps);
        fitWriter.append(maps.data);
      });
      fitRanges.push({ first: fitRows, count: split.fit.length });
      classIndex.push(...split.fit.map(() => c));
      fitRows += split.fit.length;
      await source.stream(split.heldOut, (maps) => {
        check();
        heldOutWriter ??= writerFor('held-out.f16', maps);
        heldOutWriter.append(maps.data);
      });
      heldOutRanges.push({ first: heldOutRows, count: split.heldOut.length });
      heldOutRows += split.heldOut.length;
    }
    if (!fitWriter) throw new Error('No training images');
    const { info, normalisation } = (fitWriter as TokenRowFileWriter).finish();
    const heldOut = heldOutWriter ? (heldOutWriter as TokenRowFileWriter).finish().info : undefined;
    return {
      fit: info,
      fitClassIndex: Int32Array.from(classIndex),
      fitRanges,
      ...(heldOut ? { heldOut } : {}),
      heldOutRanges,
      layerChannels,
      normalisation,
    };
  } catch (error) {
    fitWriter?.abandon();
    heldOutWriter?.abandon();
    throw error;
  }
}

/** Scratch folders of training jobs (the stored features) are named after the owning process. */
export const SCRATCH_PREFIX = 'training-';

/** Removes the stored features of jobs whose process was killed before it could clean up. */
export function removeAbandonedScratch(cacheDir: string): void {
  if (!existsSync(cacheDir)) return;
  for (const name of readdirSync(cacheDir)) {
    const pid = Number(/^training-(\d+)-/.exec(name)?.[1]);
    if (name.startsWith(SCRATCH_PREFIX) && Number.isInteger(pid) && !processIsAlive(pid))
      rmSync(path.join(cacheDir, name), { recursive: true, force: true });
  }
}
