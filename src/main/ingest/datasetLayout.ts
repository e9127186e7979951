import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.bmp', '.tif', '.tiff', '.webp'];

export interface TestImage {
  file: string;
  /** 'good' or the defect type (the folder name). */
  defectType: string;
  /** <class>/ground_truth/<defect>/<stem>_mask.png when it exists. */
  maskFile: string | null;
}

export interface DatasetClass {
  name: string;
  trainGood: string[];
  validationGood: string[];
  test: TestImage[];
}

export function isImageFile(file: string): boolean {
  return IMAGE_EXTENSIONS.includes(path.extname(file).toLowerCase());
}

function imagesIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => isImageFile(f) && !f.startsWith('.'))
    .sort()
    .map((f) => path.join(dir, f));
}

function subfolders(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => !f.startsWith('.') && statSync(path.join(dir, f)).isDirectory())
    .sort();
}

/**
 * Reads a dataset in the MVTec AD layout: <class>/train/good, <class>/validation/good,
 * <class>/test/<good|defect>, <class>/ground_truth/<defect>/<stem>_mask.png.
 * A folder counts as a class when it has train/good.
 */
export function scanMvtecDataset(root: string, onlyClasses?: readonly string[]): DatasetClass[] {
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new Error(`Dataset folder ${root} does not exist`);
  const classes = subfolders(root).filter((name) => existsSync(path.join(root, name, 'train', 'good')));
  if (onlyClasses) {
    const missing = onlyClasses.filter((c) => !classes.includes(c));
    if (missing.length > 0) throw new Error(`Dataset ${root} has no class ${missing.join(', ')} (it has: ${classes.join(', ') || 'none'})`);
  }
  return classes
    .filter((name) => !onlyClasses || onlyClasses.includes(name))
    .map((name) => {
      const dir = path.join(root, name);
      const test = subfolders(path.join(dir, 'test')).flatMap((defectType) =>
        imagesIn(path.join(dir, 'test', defectType)).map((file) => {
          const mask = path.join(dir, 'ground_truth', defectType, `${path.parse(file).name}_mask.png`);
          return { file, defectType, maskFile: defectType !== 'good' && existsSync(mask) ? mask : null };
        }),
      );
      return {
        name,
        trainGood: imagesIn(path.join(dir, 'train', 'good')),
        validationGood: imagesIn(path.join(dir, 'validation', 'good')),
        test,
      };
    });
}
