import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { scanMvtecDataset } from '../../../src/main/ingest/datasetLayout';
import { generateSyntheticDataset } from '../../../src/main/synthetic/syntheticDataset';
import { applyDefect, DEFECT_TYPES } from '../../../src/main/synthetic/syntheticDefects';
import { makeRecipe, renderGoodImage } from '../../../src/main/synthetic/syntheticProducts';
import { seededRandom } from '../../../src/main/engine/seededRandom';
import { useTempDirs } from '../../helpers/tempDir';

const tempDir = useTempDirs();

function allFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

describe('synthetic defects', () => {
  it('change pixels only inside their mask, and most of the mask', () => {
    for (const [index, type] of DEFECT_TYPES.entries()) {
      const recipe = makeRecipe(index, seededRandom(index));
      const good = renderGoodImage(recipe, 64, seededRandom(100 + index));
      const defective = renderGoodImage(recipe, 64, seededRandom(100 + index));
      const mask = applyDefect(defective, type, recipe, seededRandom(200 + index));
      let changedOutside = 0;
      let changedInside = 0;
      for (let p = 0; p < 64 * 64; p++) {
        const changed = [0, 1, 2].some((c) => Math.abs((good.data[p * 3 + c] as number) - (defective.data[p * 3 + c] as number)) > 8);
        if (changed && !mask[p]) changedOutside++;
        if (changed && mask[p]) changedInside++;
      }
      const maskArea = mask.reduce((a, b) => a + b, 0);
      expect(changedOutside, type).toBe(0);
      expect(changedInside / maskArea, type).toBeGreaterThan(0.6);
    }
  });
});

describe('synthetic dataset generator', () => {
  it('writes the MVTec layout with long-tailed class sizes and every defect type', async () => {
    const out = tempDir();
    const summary = await generateSyntheticDataset({
      outDir: out,
      classes: 4,
      seed: 5,
      size: 64,
      nMax: 12,
      longTail: { type: 'exp', beta: 6 },
      testGood: 2,
      testDefectsPerType: 1,
    });
    expect(summary.classes.map((c) => c.train)).toEqual([12, 6, 3, 2]);
    const classes = scanMvtecDataset(out);
    expect(classes.map((c) => c.name)).toEqual(['product_00', 'product_01', 'product_02', 'product_03']);
    expect(classes.map((c) => c.trainGood.length)).toEqual([12, 6, 3, 2]);
    const first = classes[0];
    expect(first?.test.filter((t) => t.defectType === 'good')).toHaveLength(2);
    expect(new Set(first?.test.filter((t) => t.defectType !== 'good').map((t) => t.defectType))).toEqual(new Set(DEFECT_TYPES));
    expect(first?.test.every((t) => (t.defectType === 'good') === (t.maskFile === null))).toBe(true);
  });

  it('writes binary single-channel masks of plausible size for every defective image', async () => {
    const out = tempDir();
    await generateSyntheticDataset({ outDir: out, classes: 2, seed: 9, size: 64, nMax: 1, testGood: 0, testDefectsPerType: 1 });
    for (const c of scanMvtecDataset(out)) {
      for (const t of c.test.filter((x) => x.maskFile !== null)) {
        expect((await sharp(t.maskFile as string).metadata()).channels).toBe(1);
        const mask = await sharp(t.maskFile as string)
          .extractChannel(0)
          .raw()
          .toBuffer({ resolveWithObject: true });
        expect([mask.info.width, mask.info.height]).toEqual([64, 64]);
        expect(mask.data.every((v) => v === 0 || v === 255)).toBe(true);
        const defectPixels = mask.data.filter((v) => v === 255).length;
        expect(defectPixels).toBeGreaterThan(5);
        expect(defectPixels).toBeLessThan(64 * 64 * 0.2);
      }
    }
  });

  it('is deterministic: the same seed writes identical files, another seed different ones', async () => {
    const options = { classes: 2, size: 48, nMax: 2, testGood: 1, testDefectsPerType: 1 };
    const [a, b, c] = [tempDir(), tempDir(), tempDir()];
    await generateSyntheticDataset({ ...options, outDir: a, seed: 1 });
    await generateSyntheticDataset({ ...options, outDir: b, seed: 1 });
    await generateSyntheticDataset({ ...options, outDir: c, seed: 2 });
    const files = allFiles(a).filter((f) => f.endsWith('.png'));
    expect(files.length).toBe(2 * (2 + 1 + 2 * DEFECT_TYPES.length));
    expect(allFiles(b)).toEqual(allFiles(a));
    for (const f of files) expect(readFileSync(path.join(b, f)).equals(readFileSync(path.join(a, f)))).toBe(true);
    const differing = files.filter((f) => !readFileSync(path.join(c, f)).equals(readFileSync(path.join(a, f))));
    expect(differing.length).toBeGreaterThan(files.length / 2);
  });
});
