import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { neutraliseFormula, REPORT_COLUMNS, reportRow, textCell, writeCsvReport } from '../../../src/main/reports/csvReport';
import type { Inspection } from '../../../src/shared/catalogTypes';

describe('CSV cells', () => {
  it('never lets a spreadsheet run a cell as a formula', () => {
    expect(['=SUM(A1)', '+1', '-2', '@x', '\tx', 'part.png', '1.5'].map(neutraliseFormula)).toEqual([
      "'=SUM(A1)",
      "'+1",
      "'-2",
      "'@x",
      "'\tx",
      'part.png',
      '1.5',
    ]);
  });

  it('keeps a file name with line feeds on one row', async () => {
    expect(textCell('part\n=1.png')).toBe('part =1.png');
    expect(textCell('a\r\nb\u0007c')).toBe('a  b c');
    const row = {
      at: '2026-12-01T08:00:00.000Z',
      station: 'line\n1',
      operatorId: null,
      classId: 1,
      imagePath: '/x.png',
      fileName: 'evil\nname.png',
      verdict: 'pass',
      score: 1,
      threshold: 2,
      modelVersionId: 1,
      regions: [],
    } as unknown as Inspection;
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    await writeCsvReport([row, row], { product: () => 'gear', operator: () => '', modelVersion: () => 'v1' }, out);
    const text = Buffer.concat(chunks).toString('utf8');
    expect(text.split(/\r\n|\n|\r/).filter((l) => l.length > 0)).toHaveLength(3);
    expect(text).toContain('evil name.png');
  });
});

const names = { product: () => 'gear', operator: () => '', modelVersion: () => 'v1' };

/** A failed inspection as the catalogue gives it, with what a test needs changed. */
function failedRow(changes: Partial<Inspection>): Inspection {
  return {
    at: '2026-12-01T08:00:00.000Z',
    station: 'line 1',
    operatorId: null,
    classId: 1,
    imagePath: '/x.png',
    fileName: 'x.png',
    verdict: 'fail',
    score: 3,
    threshold: 2,
    scoreSpread: null,
    modelVersionId: 1,
    regions: [],
    source: 'camera',
    review: null,
    ...changes,
  } as Inspection;
}

describe('CSV rows', () => {
  it("end with the image's source and a person's review of the verdict", () => {
    const row = failedRow({ source: 'hot-folder', review: 'false-reject' });
    expect(REPORT_COLUMNS.slice(-2)).toEqual(['source', 'review']);
    expect(reportRow(row, names).slice(-2)).toEqual(['hot-folder', 'false-reject']);
    expect(reportRow({ ...row, review: null }, names).at(-1)).toBe('');
  });

  it('give the normalised score against 0.5 first and the raw score and threshold beside it, empty where the scale is unknown', () => {
    const row = failedRow({ score: 3072, threshold: 2000, scoreSpread: 1000 });
    const cells = (r: Inspection) => {
      const values = reportRow(r, names);
      return Object.fromEntries(
        ['score', 'threshold', 'raw_score', 'raw_threshold'].map((c) => [c, values[REPORT_COLUMNS.indexOf(c as never)]]),
      );
    };
    expect(cells(row)).toEqual({ score: 0.768, threshold: 0.5, raw_score: 3072, raw_threshold: 2000 });
    expect(cells({ ...row, scoreSpread: null })).toEqual({ score: '', threshold: '', raw_score: 3072, raw_threshold: 2000 });
  });
});
