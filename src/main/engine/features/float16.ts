/**
 * IEEE 754 half precision for stored token maps: half the bytes of float32, with a relative error
 * of at most 2^-11 (docs/ARCHITECTURE.md, Training memory). Node 20 has no Float16Array.
 */
const HALF_MAX = 0x7bff; // 65504: values beyond saturate rather than become Infinity
const scratch = new Float32Array(1);
const scratchBits = new Uint32Array(scratch.buffer);

function halfBits(value: number): number {
  scratch[0] = value;
  const x = scratchBits[0] as number;
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  const mantissa = x & 0x7fffff;
  if (exponent === 0xff) return mantissa !== 0 ? sign | 0x7e00 : sign | HALF_MAX; // NaN stays NaN
  const e = exponent - 127 + 15;
  if (e >= 31) return sign | HALF_MAX;
  if (e <= 0) {
    if (e < -10) return sign; // below half the smallest subnormal
    const full = mantissa | 0x800000;
    const shift = 14 - e;
    return sign | roundShift(full, shift);
  }
  const rounded = (e << 10) + roundShift(mantissa, 13);
  return sign | Math.min(rounded, HALF_MAX);
}

/** value >> shift, rounded to nearest, ties to even. */
function roundShift(value: number, shift: number): number {
  const kept = value >>> shift;
  const rest = value & ((1 << shift) - 1);
  const half = 1 << (shift - 1);
  return rest > half || (rest === half && (kept & 1) === 1) ? kept + 1 : kept;
}

export function encodeFloat16(values: Float32Array, out: Uint16Array = new Uint16Array(values.length)): Uint16Array {
  if (out.length < values.length) throw new Error('float16 output is shorter than the input');
  for (let i = 0; i < values.length; i++) out[i] = halfBits(values[i] as number);
  return out;
}

let decodeTable: Float32Array | undefined;
function table(): Float32Array {
  if (decodeTable) return decodeTable;
  decodeTable = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1;
    const exponent = (h >>> 10) & 0x1f;
    const mantissa = h & 0x3ff;
    if (exponent === 0) decodeTable[h] = sign * mantissa * 2 ** -24;
    else if (exponent === 31) decodeTable[h] = mantissa ? Number.NaN : sign * Number.POSITIVE_INFINITY;
    else decodeTable[h] = sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
  }
  return decodeTable;
}

export function decodeFloat16(bits: Uint16Array, out: Float32Array = new Float32Array(bits.length)): Float32Array {
  if (out.length < bits.length) throw new Error('float32 output is shorter than the input');
  const t = table();
  for (let i = 0; i < bits.length; i++) out[i] = t[bits[i] as number] as number;
  return out;
}
