import type { ParameterValues } from './parameterStore';

/** One entry of weights.json: where a named tensor lies in weights.bin (in float32 elements). */
export interface WeightEntry {
  name: string;
  shape: number[];
  offset: number;
  length: number;
}

/** Named float32 tensors as a manifest and one little-endian buffer (model versions and packs). */
export function encodeWeights(weights: ParameterValues): { manifest: WeightEntry[]; bin: Buffer } {
  const manifest: WeightEntry[] = [];
  let offset = 0;
  for (const [name, { shape, data }] of Object.entries(weights)) {
    manifest.push({ name, shape, offset, length: data.length });
    offset += data.length;
  }
  const bin = Buffer.alloc(offset * 4);
  for (const e of manifest) {
    const data = (weights[e.name] as { data: Float32Array }).data;
    for (let i = 0; i < data.length; i++) bin.writeFloatLE(data[i] as number, (e.offset + i) * 4);
  }
  return { manifest, bin };
}

export function decodeWeights(manifest: readonly WeightEntry[], bin: Buffer, source: string): ParameterValues {
  const weights: ParameterValues = {};
  for (const e of manifest) {
    const expected = e.shape.reduce((a, b) => a * b, 1);
    if (expected !== e.length) throw new Error(`${source}: ${e.name} has ${e.length} values for shape [${e.shape.join(', ')}]`);
    if ((e.offset + e.length) * 4 > bin.length) throw new Error(`${source}: the weight file is too short for ${e.name}`);
    const data = new Float32Array(e.length);
    for (let i = 0; i < e.length; i++) data[i] = bin.readFloatLE((e.offset + i) * 4);
    weights[e.name] = { shape: e.shape, data };
  }
  return weights;
}
