import type { TokenRowFileInfo } from '../features/tokenRowFileInfo';

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
  /** Training images with a defect painted on (src/main/services/training/defectViewStore.ts), when the job made them. */
  readonly views?: DefectViewRows;
  /** Each channel's standard deviation before standardising (the raw features' scale), when known. */
  readonly channelStd?: Float32Array;
  close(): void;
}

/** Token maps of painted defects: each view is one training row with a defect, labelled per token. */
export interface DefectViewRows {
  readonly count: number;
  readonly classIndex: Int32Array;
  /** The training row each view was painted on (its clean target). */
  readonly cleanRow: Int32Array;
  /** Per view and token, the defect's share of the token (0..1): [count * tokens]. */
  readonly labels: Float32Array;
  read(views: readonly number[]): Float32Array;
}

/** The views' labels and provenance, as plain data (posted to workers with the rows). */
export interface DefectViewIndex {
  classIndex: Int32Array;
  cleanRow: Int32Array;
  labels: Float32Array;
}

/**
 * What it takes to open the same rows in another thread: plain data, posted to worker threads.
 * In-memory data lives on a SharedArrayBuffer, so workers share it rather than copy it.
 */
export type TrainingRowsSource =
  | {
      kind: 'memory';
      data: Float32Array;
      count: number;
      tokens: number;
      dim: number;
      classIndex: Int32Array;
      views?: DefectViewIndex & { data: Float32Array };
    }
  | {
      kind: 'file';
      file: TokenRowFileInfo;
      classIndex: Int32Array;
      mean: Float32Array;
      std: Float32Array;
      views?: DefectViewIndex & { file: TokenRowFileInfo };
    };

/** Random access to raw (not yet standardised) token rows, [rows.length, tokens, dim]. */
export interface TokenRowReader {
  read(rows: readonly number[]): Float32Array;
  close(): void;
}

/** Views and their reader, checked against the rows they were painted on. */
function viewRows(
  index: DefectViewIndex,
  rowCount: number,
  tokens: number,
  read: (views: readonly number[]) => Float32Array,
): DefectViewRows {
  const count = index.classIndex.length;
  if (index.cleanRow.length !== count || index.labels.length !== count * tokens)
    throw new Error(`Defect views: ${count} classes, ${index.cleanRow.length} clean rows and ${index.labels.length} labels do not match`);
  if (index.cleanRow.some((r) => r < 0 || r >= rowCount)) throw new Error('Defect views refer to training rows that do not exist');
  return { count, classIndex: index.classIndex, cleanRow: index.cleanRow, labels: index.labels, read };
}

/** Rows already standardised, [count, tokens, dim], copied onto shared memory, with their defect views if any. */
export function memoryRowsSource(
  standardised: Float32Array,
  classIndex: Int32Array,
  tokens: number,
  dim: number,
  views?: DefectViewIndex & { data: Float32Array },
): Extract<TrainingRowsSource, { kind: 'memory' }> {
  const count = classIndex.length;
  if (standardised.length !== count * tokens * dim)
    throw new Error(`Training tokens hold ${standardised.length} values, expected ${count} x ${tokens} x ${dim}`);
  if (views && views.data.length !== views.classIndex.length * tokens * dim)
    throw new Error(`Defect views hold ${views.data.length} values, expected ${views.classIndex.length} x ${tokens} x ${dim}`);
  const data = new Float32Array(new SharedArrayBuffer(standardised.byteLength));
  data.set(standardised);
  return { kind: 'memory', data, count, tokens, dim, classIndex: Int32Array.from(classIndex), ...(views ? { views } : {}) };
}

function copyRows(data: Float32Array, size: number, rows: readonly number[]): Float32Array {
  const out = new Float32Array(rows.length * size);
  rows.forEach((row, i) => out.set(data.subarray(row * size, (row + 1) * size), i * size));
  return out;
}

export function memoryRows(source: Extract<TrainingRowsSource, { kind: 'memory' }>): TrainingRows {
  const size = source.tokens * source.dim;
  const { views } = source;
  return {
    count: source.count,
    tokens: source.tokens,
    dim: source.dim,
    classIndex: source.classIndex,
    read: (rows) => copyRows(source.data, size, rows),
    ...(views ? { views: viewRows(views, source.count, source.tokens, (v) => copyRows(views.data, size, v)) } : {}),
    close() {},
  };
}

/**
 * Raw rows read through `file` (and the views through `viewFile`), standardised on the way with
 * the source's mean and std. The adapters open the files (src/main/engineAdapters/openTrainingRows.ts).
 */
export function standardisedFileRows(
  source: Extract<TrainingRowsSource, { kind: 'file' }>,
  file: TokenRowReader,
  viewFile: TokenRowReader | undefined,
): TrainingRows {
  const { tokens, dim, count } = source.file;
  if (source.classIndex.length !== count) throw new Error(`Token row file has ${count} rows but ${source.classIndex.length} class labels`);
  const inverseStd = source.std.map((s) => 1 / s);
  const standardised = (out: Float32Array) => {
    for (let i = 0; i < out.length; i += dim) {
      for (let k = 0; k < dim; k++) out[i + k] = ((out[i + k] as number) - (source.mean[k] as number)) * (inverseStd[k] as number);
    }
    return out;
  };
  return {
    count,
    tokens,
    dim,
    classIndex: source.classIndex,
    channelStd: source.std,
    read: (rows) => standardised(file.read(rows)),
    ...(source.views && viewFile ? { views: viewRows(source.views, count, tokens, (v) => standardised(viewFile.read(v))) } : {}),
    close: () => {
      file.close();
      viewFile?.close();
    },
  };
}
