import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LtadModelMeta } from '../engine/ltad/ltadModel';
import type { ParameterValues } from '../engine/ltad/parameterStore';
import { MEMORY_PARAMETER } from '../engine/ltad/memoryReconstruction';
import { decodeWeights, encodeWeights, type WeightEntry } from '../engine/ltad/weightFiles';

const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');

/**
 * A model version on disk: model.json (config, normalisation, thresholds, prototypes),
 * weights.json (names, shapes, offsets) and weights.bin (little-endian float32; the products'
 * memories as 8-bit values, weightFiles.ts). Written to a
 * temporary folder and renamed into place, so a killed process never leaves half a model.
 * Returns the sha256 of each file (kept in the catalogue and checked on load).
 */
export function writeModelDirectory(dir: string, meta: LtadModelMeta, weights: ParameterValues): Record<string, string> {
  if (existsSync(dir)) throw new Error(`Model directory ${dir} exists already`);
  const { manifest: entries, bin } = encodeWeights(weights, { quantise: [MEMORY_PARAMETER] });
  const files: Record<string, Uint8Array | string> = {
    'model.json': `${JSON.stringify(meta, null, 1)}\n`,
    'weights.json': `${JSON.stringify(entries)}\n`,
    'weights.bin': bin,
  };
  const temp = `${dir}.partial-${process.pid}`;
  rmSync(temp, { recursive: true, force: true });
  mkdirSync(temp, { recursive: true });
  const hashes: Record<string, string> = {};
  for (const [name, data] of Object.entries(files)) {
    writeFileSync(path.join(temp, name), data);
    hashes[name] = sha256(data);
  }
  mkdirSync(path.dirname(dir), { recursive: true });
  renameSync(temp, dir);
  return hashes;
}

/** Reads a model directory, refusing files whose hashes differ from the expected ones. */
export function readModelDirectory(
  dir: string,
  expectedHashes?: Record<string, string>,
): { meta: LtadModelMeta; weights: ParameterValues } {
  const read = (name: string) => {
    const file = path.join(dir, name);
    if (!existsSync(file)) throw new Error(`Model file ${file} is missing`);
    const data = readFileSync(file);
    const expected = expectedHashes?.[name];
    if (expected && sha256(data) !== expected)
      throw new Error(`Model file ${file} does not match its recorded hash: it was changed or damaged`);
    return data;
  };
  const meta = JSON.parse(read('model.json').toString('utf8')) as LtadModelMeta;
  const entries = JSON.parse(read('weights.json').toString('utf8')) as WeightEntry[];
  return { meta, weights: decodeWeights(entries, read('weights.bin'), dir) };
}

/** A model directory's model.json alone (thresholds, good scores, classes), or null when it is missing or damaged. */
export function readModelMeta(dir: string): LtadModelMeta | null {
  try {
    return JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8')) as LtadModelMeta;
  } catch {
    return null;
  }
}
