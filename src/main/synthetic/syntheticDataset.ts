import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { longTailCounts, type LongTailType } from '../engine/longtail/longTailCounts';
import { seededRandom } from '../engine/seededRandom';
import { applyDefect, DEFECT_TYPES, type DefectType } from './syntheticDefects';
import { makeRecipe, renderGoodImage, type ProductRecipe } from './syntheticProducts';

export interface SyntheticDatasetOptions {
  outDir: string;
  classes: number;
  seed: number;
  /** Square image size in pixels. */
  size?: number;
  /** Training images of the largest class (all classes when not long-tailed). */
  nMax?: number;
  longTail?: { type: LongTailType; beta: number };
  testGood?: number;
  testDefectsPerType?: number;
  defectTypes?: readonly DefectType[];
}

export interface SyntheticClassSummary {
  name: string;
  kind: string;
  train: number;
  testGood: number;
  testDefect: Record<string, number>;
}

export interface SyntheticDatasetSummary {
  outDir: string;
  seed: number;
  size: number;
  classes: SyntheticClassSummary[];
}

/** Independent streams per (class, role, index), so any one image is reproducible on its own. */
function streamSeed(seed: number, ...parts: number[]): number {
  let h = seed >>> 0;
  for (const p of parts) h = Math.imul(h ^ (p + 0x9e3779b9), 0x85ebca6b) >>> 0;
  return h;
}

async function writePng(file: string, rgb: Buffer, size: number, channels: 1 | 3): Promise<void> {
  const image = sharp(rgb, { raw: { width: size, height: size, channels } });
  // Masks stay single-channel 8-bit files (sharp would widen them to RGB otherwise).
  await (channels === 1 ? image.toColourspace('b-w') : image).png({ compressionLevel: 6 }).toFile(file);
}

function maskBytes(mask: Uint8Array): Buffer {
  return Buffer.from(mask.map((v) => (v ? 255 : 0)));
}

/**
 * Writes a deterministic synthetic dataset in the MVTec AD layout: per class train/good,
 * test/good, test/<defect> and ground_truth/<defect>/<stem>_mask.png with exact binary masks.
 */
export async function generateSyntheticDataset(options: SyntheticDatasetOptions): Promise<SyntheticDatasetSummary> {
  const size = options.size ?? 128;
  const nMax = options.nMax ?? 40;
  const testGood = options.testGood ?? 8;
  const perType = options.testDefectsPerType ?? 3;
  const defectTypes = options.defectTypes ?? DEFECT_TYPES;
  if (!Number.isInteger(options.classes) || options.classes < 1 || options.classes > 200)
    throw new Error('--classes must be an integer from 1 to 200');
  if (!Number.isInteger(size) || size < 32 || size > 1024) throw new Error('Image size must be 32 to 1024 pixels');
  const trainCounts = options.longTail
    ? longTailCounts(options.longTail.type, options.classes, nMax, options.longTail.beta)
    : Array(options.classes).fill(nMax);

  const summaries: SyntheticClassSummary[] = [];
  for (let c = 0; c < options.classes; c++) {
    const name = `product_${String(c).padStart(2, '0')}`;
    const recipe: ProductRecipe = makeRecipe(c, seededRandom(streamSeed(options.seed, c, 0)));
    const dir = path.join(options.outDir, name);
    const good = async (folder: string, role: number, count: number) => {
      mkdirSync(folder, { recursive: true });
      for (let i = 0; i < count; i++) {
        const canvas = renderGoodImage(recipe, size, seededRandom(streamSeed(options.seed, c, role, i)));
        await writePng(path.join(folder, `${String(i).padStart(3, '0')}.png`), canvas.toBytes(), size, 3);
      }
    };
    await good(path.join(dir, 'train', 'good'), 1, trainCounts[c] as number);
    await good(path.join(dir, 'test', 'good'), 2, testGood);
    const testDefect: Record<string, number> = {};
    for (const [t, type] of defectTypes.entries()) {
      const imageDir = path.join(dir, 'test', type);
      const maskDir = path.join(dir, 'ground_truth', type);
      mkdirSync(imageDir, { recursive: true });
      mkdirSync(maskDir, { recursive: true });
      for (let i = 0; i < perType; i++) {
        const random = seededRandom(streamSeed(options.seed, c, 3 + t, i));
        const canvas = renderGoodImage(recipe, size, random);
        const mask = applyDefect(canvas, type, recipe, random);
        const stem = String(i).padStart(3, '0');
        await writePng(path.join(imageDir, `${stem}.png`), canvas.toBytes(), size, 3);
        await writePng(path.join(maskDir, `${stem}_mask.png`), maskBytes(mask), size, 1);
      }
      testDefect[type] = perType;
    }
    summaries.push({ name, kind: recipe.kind, train: trainCounts[c] as number, testGood, testDefect });
  }
  const summary: SyntheticDatasetSummary = { outDir: options.outDir, seed: options.seed, size, classes: summaries };
  writeFileSync(
    path.join(options.outDir, 'synthetic.json'),
    `${JSON.stringify({ ...summary, options: { ...options, outDir: undefined } }, null, 2)}\n`,
  );
  return summary;
}
