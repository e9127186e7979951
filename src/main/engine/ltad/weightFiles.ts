import type { ParameterValues } from './parameterStore';

/**
 * One entry of weights.json: where a named tensor lies in weights.bin. Offsets and lengths count
 * float32 slots (4 bytes). A `uint8` entry packs its values as bytes into ceil(length / 4) slots,
 * each value min[c] + step[c] * byte for its last-axis channel c.
 */
export interface WeightEntry {
  name: string;
  shape: number[];
  offset: number;
  length: number;
  encoding?: 'float32' | 'uint8';
  channelMin?: number[];
  channelStep?: number[];
}

export interface EncodeOptions {
  /** Tensors stored as 8 bits per value, affine per last-axis channel (the products' memories: 4x smaller). */
  quantise?: readonly string[];
}

interface Quantised {
  bytes: Uint8Array;
  channelMin: number[];
  channelStep: number[];
}

/** 8-bit affine quantisation per last-axis channel: the error is at most half a step. */
export function quantiseChannels(data: Float32Array, channels: number): Quantised {
  const min = new Float64Array(channels).fill(Infinity);
  const max = new Float64Array(channels).fill(-Infinity);
  for (let i = 0; i < data.length; i++) {
    const c = i % channels;
    const v = data[i] as number;
    if (v < (min[c] as number)) min[c] = v;
    if (v > (max[c] as number)) max[c] = v;
  }
  const step = Array.from(min, (lo, c) => (Number.isFinite(lo) && (max[c] as number) > lo ? ((max[c] as number) - lo) / 255 : 1));
  const lows = Array.from(min, (lo) => (Number.isFinite(lo) ? lo : 0));
  const bytes = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const c = i % channels;
    bytes[i] = Math.max(0, Math.min(255, Math.round(((data[i] as number) - (lows[c] as number)) / (step[c] as number))));
  }
  return { bytes, channelMin: lows, channelStep: step };
}

/** The values a quantised tensor decodes to: a network that uses these saves and loads exactly. */
export function quantisedValues(data: Float32Array, channels: number): Float32Array {
  const q = quantiseChannels(data, channels);
  return Float32Array.from(q.bytes, (b, i) => (q.channelMin[i % channels] as number) + (q.channelStep[i % channels] as number) * b);
}

/** Named float32 tensors as a manifest and one little-endian buffer (model versions and packs). */
export function encodeWeights(weights: ParameterValues, options: EncodeOptions = {}): { manifest: WeightEntry[]; bin: Buffer } {
  const manifest: WeightEntry[] = [];
  const quantised = new Map<string, Quantised>();
  let slots = 0;
  for (const [name, { shape, data }] of Object.entries(weights)) {
    if (options.quantise?.includes(name)) {
      const q = quantiseChannels(data, shape[shape.length - 1] ?? 1);
      quantised.set(name, q);
      manifest.push({
        name,
        shape,
        offset: slots,
        length: data.length,
        encoding: 'uint8',
        channelMin: q.channelMin,
        channelStep: q.channelStep,
      });
      slots += Math.ceil(data.length / 4);
    } else {
      manifest.push({ name, shape, offset: slots, length: data.length });
      slots += data.length;
    }
  }
  const bin = Buffer.alloc(slots * 4);
  for (const e of manifest) {
    const q = quantised.get(e.name);
    if (q) {
      bin.set(q.bytes, e.offset * 4);
      continue;
    }
    const data = (weights[e.name] as { data: Float32Array }).data;
    for (let i = 0; i < data.length; i++) bin.writeFloatLE(data[i] as number, (e.offset + i) * 4);
  }
  return { manifest, bin };
}

function slotsOf(e: WeightEntry): number {
  return e.encoding === 'uint8' ? Math.ceil(e.length / 4) : e.length;
}

export function decodeWeights(manifest: readonly WeightEntry[], bin: Buffer, source: string): ParameterValues {
  const weights: ParameterValues = {};
  for (const e of manifest) {
    const expected = e.shape.reduce((a, b) => a * b, 1);
    if (expected !== e.length) throw new Error(`${source}: ${e.name} has ${e.length} values for shape [${e.shape.join(', ')}]`);
    if ((e.offset + slotsOf(e)) * 4 > bin.length) throw new Error(`${source}: the weight file is too short for ${e.name}`);
    const data = new Float32Array(e.length);
    if (e.encoding === 'uint8') {
      const channels = e.shape[e.shape.length - 1] ?? 1;
      if (e.channelMin?.length !== channels || e.channelStep?.length !== channels)
        throw new Error(`${source}: ${e.name} lacks its ${channels} channel ranges`);
      for (let i = 0; i < e.length; i++)
        data[i] = (e.channelMin[i % channels] as number) + (e.channelStep[i % channels] as number) * (bin[e.offset * 4 + i] as number);
    } else {
      for (let i = 0; i < e.length; i++) data[i] = bin.readFloatLE((e.offset + i) * 4);
    }
    weights[e.name] = { shape: e.shape, data };
  }
  return weights;
}
