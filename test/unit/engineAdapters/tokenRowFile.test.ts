import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeNormalisation } from '../../../src/main/engine/features/featureNormalisation';
import { TokenRowFile, TokenRowFileWriter } from '../../../src/main/engineAdapters/tokenRowFile';
import { memoryRowsSource } from '../../../src/main/engine/ltad/trainingRows';
import { openTrainingRows } from '../../../src/main/engineAdapters/openTrainingRows';
import { seededRandom } from '../../../src/main/engine/seededRandom';
import { useTempDirs } from '../../helpers/tempDir';

const tempDir = useTempDirs();

describe('token row files', () => {
  const tokens = 4;
  const dim = 3;
  const rows = (count: number, seed: number) => {
    const random = seededRandom(seed);
    return Float32Array.from({ length: count * tokens * dim }, () => random() * 8 - 2);
  };

  it('stores rows on disk in pieces and reads any of them back, with the normalisation of all', () => {
    const file = path.join(tempDir(), 'fit.f16');
    const writer = new TokenRowFileWriter(file, tokens, dim);
    const [a, b] = [rows(3, 1), rows(2, 2)];
    writer.append(a);
    writer.append(b);
    const { info, normalisation } = writer.finish();
    expect(info).toMatchObject({ count: 5, tokens, dim });
    const all = new Float32Array([...a, ...b]);
    const expected = computeNormalisation(all, 5 * tokens, dim);
    normalisation.mean.forEach((m, k) => expect(m).toBeCloseTo(expected.mean[k] as number, 5));
    const reader = new TokenRowFile(info);
    const size = tokens * dim;
    const picked = reader.read([4, 0]);
    [4, 0].forEach((row, i) => {
      for (let k = 0; k < size; k++)
        expect(Math.abs((picked[i * size + k] as number) - (all[row * size + k] as number))).toBeLessThan(8 * 2 ** -11);
    });
    expect(() => reader.read([5])).toThrow(/outside the token row file/);
    reader.close();
    // Training reads them standardised.
    const training = openTrainingRows({ kind: 'file', file: info, classIndex: new Int32Array(5), ...normalisation });
    const standard = training.read([0, 1, 2, 3, 4]);
    const mean = standard.reduce((s, v) => s + v, 0) / standard.length;
    expect(Math.abs(mean)).toBeLessThan(1e-2);
    training.close();
  });

  it('refuses partial rows, and says so when the file was cut short', () => {
    const file = path.join(tempDir(), 'fit.f16');
    const writer = new TokenRowFileWriter(file, tokens, dim);
    expect(() => writer.append(new Float32Array(5))).toThrow(/not whole rows/);
    writer.append(rows(2, 3));
    const { info } = writer.finish();
    writeFileSync(file, new Uint8Array(tokens * dim * 2 + 6)); // one row and a bit
    const reader = new TokenRowFile(info);
    expect(() => reader.read([1])).toThrow(/truncated at row 1/);
    reader.close();
  });

  it('refuses defect views that do not match their rows', () => {
    const data = rows(2, 4);
    const views = { classIndex: Int32Array.from([0]), cleanRow: Int32Array.from([1]), labels: new Float32Array(tokens) };
    expect(() => memoryRowsSource(data, Int32Array.from([0, 0]), tokens, dim, { ...views, data: new Float32Array(3) })).toThrow(
      /Defect views hold 3 values/,
    );
    expect(() =>
      openTrainingRows(
        memoryRowsSource(data, Int32Array.from([0, 0]), tokens, dim, { ...views, cleanRow: Int32Array.from([2]), data: rows(1, 5) }),
      ),
    ).toThrow(/training rows that do not exist/);
    expect(() =>
      openTrainingRows(
        memoryRowsSource(data, Int32Array.from([0, 0]), tokens, dim, { ...views, labels: new Float32Array(1), data: rows(1, 5) }),
      ),
    ).toThrow(/do not match/);
    const good = openTrainingRows(memoryRowsSource(data, Int32Array.from([0, 0]), tokens, dim, { ...views, data: rows(1, 5) }));
    expect(good.views?.read([0])).toEqual(rows(1, 5));
  });
});
