import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { decodeFloat16, encodeFloat16 } from '../engine/features/float16';
import { normalisationFromSums, type FeatureNormalisation } from '../engine/features/featureNormalisation';
import type { TokenRowFileInfo } from '../engine/features/tokenRowFileInfo';
import type { TokenRowReader } from '../engine/ltad/trainingRows';

/**
 * Writes token maps to disk as they are extracted, so that training holds a batch in memory rather
 * than every image (docs/ARCHITECTURE.md, Training memory). Channel sums are kept on the way for
 * the normalisation, so the maps never need to be in memory together.
 */
export class TokenRowFileWriter {
  private readonly fd: number;
  private readonly sum: Float64Array;
  private readonly sumSq: Float64Array;
  private count = 0;
  private closed = false;

  constructor(
    readonly path: string,
    readonly tokens: number,
    readonly dim: number,
  ) {
    this.fd = openSync(path, 'w');
    this.sum = new Float64Array(dim);
    this.sumSq = new Float64Array(dim);
  }

  /** Appends `data` = [rows, tokens, dim]. */
  append(data: Float32Array): void {
    const rowSize = this.tokens * this.dim;
    if (data.length % rowSize !== 0)
      throw new Error(`Token maps of ${data.length} values are not whole rows of ${this.tokens} x ${this.dim}`);
    for (let i = 0; i < data.length; i += this.dim) {
      for (let k = 0; k < this.dim; k++) {
        const v = data[i + k] as number;
        this.sum[k] = (this.sum[k] as number) + v;
        this.sumSq[k] = (this.sumSq[k] as number) + v * v;
      }
    }
    const bits = encodeFloat16(data);
    writeSync(this.fd, new Uint8Array(bits.buffer, bits.byteOffset, bits.byteLength));
    this.count += data.length / rowSize;
  }

  /** Closes the file; the normalisation is over every token written. */
  finish(): { info: TokenRowFileInfo; normalisation: FeatureNormalisation } {
    if (this.closed) throw new Error('Token row file is closed already');
    this.closed = true;
    closeSync(this.fd);
    if (this.count === 0) throw new Error('No token maps were written');
    return {
      info: { path: this.path, count: this.count, tokens: this.tokens, dim: this.dim },
      normalisation: normalisationFromSums(this.sum, this.sumSq, this.count * this.tokens),
    };
  }

  /** Closes without a result (on failure). */
  abandon(): void {
    if (!this.closed) closeSync(this.fd);
    this.closed = true;
  }
}

/** Random access to the rows of a token row file, decoded to float32. */
export class TokenRowFile implements TokenRowReader {
  private readonly fd: number;
  private readonly bits: Uint16Array;

  constructor(readonly info: TokenRowFileInfo) {
    this.fd = openSync(info.path, 'r');
    this.bits = new Uint16Array(info.tokens * info.dim);
  }

  get rowSize(): number {
    return this.info.tokens * this.info.dim;
  }

  /** Rows `rows` concatenated into `out` ([rows.length, tokens, dim]). */
  read(rows: readonly number[], out: Float32Array = new Float32Array(rows.length * this.rowSize)): Float32Array {
    const size = this.rowSize;
    const bytes = new Uint8Array(this.bits.buffer);
    rows.forEach((row, i) => {
      if (!Number.isInteger(row) || row < 0 || row >= this.info.count)
        throw new Error(`Row ${row} is outside the token row file (${this.info.count} rows)`);
      const read = readSync(this.fd, bytes, 0, bytes.length, row * bytes.length);
      if (read !== bytes.length) throw new Error(`Token row file ${this.info.path} is truncated at row ${row}`);
      decodeFloat16(this.bits, out.subarray(i * size, (i + 1) * size));
    });
    return out;
  }

  /** Rows first .. first + count - 1. */
  range(first: number, count: number): Float32Array {
    return this.read(Array.from({ length: count }, (_, i) => first + i));
  }

  close(): void {
    closeSync(this.fd);
  }
}
