import { TokenRowFile, type TokenRowFileInfo } from '../features/tokenRowFile';

/**
 * The training set as the trainer sees it: standardised token maps, one image per row, read a
 * batch at a time. Either in memory (tests, benchmarks) or in a float16 file on disk (stations:
 * memory then does not grow with the number of images).
 */
export interface TrainingRows {
  readonly count: number;
  readonly tokens: number;
  readonly dim: number;
  /** Class index of each row. */
  readonly classIndex: Int32Array;
  /** Standardised rows, concatenated: [rows.length, tokens, dim]. */
  read(rows: readonly number[]): Float32Array;
  close(): void;
}

/**
 * What it takes to open the same rows in another thread: plain data, posted to worker threads.
 * In-memory data lives on a SharedArrayBuffer, so workers share it rather than copy it.
 */
export type TrainingRowsSource =
  | { kind: 'memory'; data: Float32Array; count: number; tokens: number; dim: number; classIndex: Int32Array }
  | { kind: 'file'; file: TokenRowFileInfo; classIndex: Int32Array; mean: Float32Array; std: Float32Array };

/** Rows already standardised, [count, tokens, dim], copied onto shared memory. */
export function memoryRowsSource(standardised: Float32Array, classIndex: Int32Array, tokens: number, dim: number): TrainingRowsSource {
  const count = classIndex.length;
  if (standardised.length !== count * tokens * dim) throw new Error(`Training tokens hold ${standardised.length} values, expected ${count} x ${tokens} x ${dim}`);
  const data = new Float32Array(new SharedArrayBuffer(standardised.byteLength));
  data.set(standardised);
  return { kind: 'memory', data, count, tokens, dim, classIndex: Int32Array.from(classIndex) };
}

function memoryRows(source: Extract<TrainingRowsSource, { kind: 'memory' }>): TrainingRows {
  const size = source.tokens * source.dim;
  return {
    count: source.count,
    tokens: source.tokens,
    dim: source.dim,
    classIndex: source.classIndex,
    read(rows) {
      const out = new Float32Array(rows.length * size);
      rows.forEach((row, i) => out.set(source.data.subarray(row * size, (row + 1) * size), i * size));
      return out;
    },
    close() {},
  };
}

function fileRows(source: Extract<TrainingRowsSource, { kind: 'file' }>): TrainingRows {
  const file = new TokenRowFile(source.file);
  const { tokens, dim, count } = source.file;
  if (source.classIndex.length !== count) throw new Error(`Token row file has ${count} rows but ${source.classIndex.length} class labels`);
  const inverseStd = source.std.map((s) => 1 / s);
  return {
    count,
    tokens,
    dim,
    classIndex: source.classIndex,
    read(rows) {
      const out = file.read(rows);
      for (let i = 0; i < out.length; i += dim) {
        for (let k = 0; k < dim; k++) out[i + k] = ((out[i + k] as number) - (source.mean[k] as number)) * (inverseStd[k] as number);
      }
      return out;
    },
    close: () => file.close(),
  };
}

export function openTrainingRows(source: TrainingRowsSource): TrainingRows {
  return source.kind === 'memory' ? memoryRows(source) : fileRows(source);
}
