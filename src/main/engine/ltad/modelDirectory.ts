import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LtadModelMeta } from './ltadModel';
import type { ParameterValues } from './parameterStore';

interface WeightEntry {
  name: string;
  shape: number[];
  offset: number;
  length: number;
}

const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');

/**
 * A model version on disk: model.json (config, normalisation, thresholds, prototypes),
 * weights.json (names, shapes, offsets) and weights.bin (little-endian float32). Written to a
 * temporary folder and renamed into place, so a killed process never leaves half a model.
 * Returns the sha256 of each file (kept in the catalogue and checked on load).
 */
export function writeModelDirectory(dir: string, meta: LtadModelMeta, weights: ParameterValues): Record<string, string> {
  if (existsSync(dir)) throw new Error(`Model directory ${dir} exists already`);
  const entries: WeightEntry[] = [];
  let offset = 0;
  for (const [name, { shape, data }] of Object.entries(weights)) {
    entries.push({ name, shape, offset, length: data.length });
    offset += data.length;
  }
  const bin = Buffer.alloc(offset * 4);
  for (const e of entries) {
    const data = (weights[e.name] as { data: Float32Array }).data;
    for (let i = 0; i < data.length; i++) bin.writeFloatLE(data[i] as number, (e.offset + i) * 4);
  }
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
export function readModelDirectory(dir: string, expectedHashes?: Record<string, string>): { meta: LtadModelMeta; weights: ParameterValues } {
  const read = (name: string) => {
    const file = path.join(dir, name);
    if (!existsSync(file)) throw new Error(`Model file ${file} is missing`);
    const data = readFileSync(file);
    const expected = expectedHashes?.[name];
    if (expected && sha256(data) !== expected) throw new Error(`Model file ${file} does not match its recorded hash: it was changed or damaged`);
    return data;
  };
  const meta = JSON.parse(read('model.json').toString('utf8')) as LtadModelMeta;
  const entries = JSON.parse(read('weights.json').toString('utf8')) as WeightEntry[];
  const bin = read('weights.bin');
  const weights: ParameterValues = {};
  for (const e of entries) {
    if ((e.offset + e.length) * 4 > bin.length) throw new Error(`weights.bin is too short for ${e.name}`);
    const data = new Float32Array(e.length);
    for (let i = 0; i < e.length; i++) data[i] = bin.readFloatLE((e.offset + i) * 4);
    weights[e.name] = { shape: e.shape, data };
  }
  return { meta, weights };
}
