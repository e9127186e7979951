import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { Inspection } from '../../shared/catalogTypes';
import { NORMALISED_THRESHOLD, recordedNormalisedScore } from '../../shared/normalisedScore';

export const REPORT_COLUMNS = [
  'timestamp',
  'station',
  'operator',
  'product',
  'image_file',
  'verdict',
  /** The normalised score and its threshold (0.5, normalisedScore.ts); empty for inspections recorded before scales were kept. */
  'score',
  'threshold',
  /** The model's own score and threshold, for engineers. */
  'raw_score',
  'raw_threshold',
  'model_version',
  'defects',
  'largest_defect_x',
  'largest_defect_y',
  'largest_defect_width',
  'largest_defect_height',
  'largest_defect_area',
  /** Where the image came from (import, camera, hot-folder) and a person's review of the verdict (false-reject, false-accept or empty). */
  'source',
  'review',
] as const;

/** Names the report needs that the inspection row holds as ids. */
export interface ReportLookups {
  product(classId: number): string;
  operator(userId: number | null): string;
  modelVersion(modelVersionId: number): string;
}

/**
 * Spreadsheets run a cell that starts with = + - @ (or a tab / carriage return) as a formula: a
 * file name from a hot folder must never do that. Such text gets a leading apostrophe.
 */
export function neutraliseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/**
 * A text cell that stays one cell on one row: control characters (a line feed in a file name
 * splits the row in spreadsheets even when quoted) become spaces, then formulas are neutralised.
 */
export function textCell(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what a CSV cell must not carry
  return neutraliseFormula(text.replace(/[\u0000-\u001f\u007f]/g, ' '));
}

export function reportRow(inspection: Inspection, names: ReportLookups): (string | number)[] {
  const normalised = recordedNormalisedScore(inspection);
  const largest = inspection.regions.reduce<Inspection['regions'][number] | undefined>(
    (a, r) => (!a || r.area > a.area ? r : a),
    undefined,
  );
  return [
    inspection.at,
    textCell(inspection.station),
    textCell(names.operator(inspection.operatorId)),
    textCell(names.product(inspection.classId)),
    textCell(inspection.fileName ?? inspection.imagePath),
    inspection.verdict.toUpperCase(),
    normalised === null ? '' : Number(normalised.toFixed(4)),
    normalised === null ? '' : NORMALISED_THRESHOLD,
    Number(inspection.score.toPrecision(6)),
    Number(inspection.threshold.toPrecision(6)),
    names.modelVersion(inspection.modelVersionId),
    inspection.regions.length,
    largest ? Math.round(largest.x) : '',
    largest ? Math.round(largest.y) : '',
    largest ? Math.round(largest.width) : '',
    largest ? Math.round(largest.height) : '',
    largest ? Math.round(largest.area) : '',
    inspection.source,
    inspection.review ?? '',
  ];
}

/**
 * Streams a defect report as CSV: UTF-8 with a byte-order mark and CRLF line ends (what spreadsheet
 * tools open cleanly), one row per inspection, oldest first, written as it is read so a year of
 * results never sits in memory. Resolves with the number of rows.
 */
export async function writeCsvReport(inspections: Iterable<Inspection>, names: ReportLookups, out: Writable): Promise<number> {
  const csv = stringify({ bom: true, record_delimiter: 'windows', header: true, columns: [...REPORT_COLUMNS] });
  csv.pipe(out);
  let rows = 0;
  for (const inspection of inspections) {
    if (!csv.write(reportRow(inspection, names))) await once(csv, 'drain');
    rows++;
  }
  csv.end();
  await once(out, 'finish');
  return rows;
}
