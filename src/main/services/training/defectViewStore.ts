import path from 'node:path';
import { tokenDim } from '../../engine/features/tokenMaps';
import type { TokenRowFileInfo } from '../../engine/features/tokenRowFileInfo';
import { TokenRowFileWriter } from '../../engineAdapters/tokenRowFile';
import type { DefectViewIndex } from '../../engine/ltad/trainingRows';
import { pixelsOfFrame } from '../../engine/features/inputFrame';
import { IMAGE_DEFECT_KINDS, paintImageDefectWithin, tokenLabels } from '../../engine/pseudoDefects/imageDefects';
import { seededRandom, seededShuffle } from '../../engine/seededRandom';
import type { RgbImage } from '../../ingest/imageDecoder';
import { loadNetworkImages } from '../../ingest/networkInput';
import type { RowRange } from './trainingFeatureStore';
import type { TokenFeatureSource } from '../inspection/tokenFeatureSource';

/**
 * Painted defect views of every product (docs/method.md, Pseudo-anomalies): training images with a
 * defect painted on (imageDefects.ts), through the backbone once, stored as float16 rows beside
 * the training features with their per-token labels. Every product gets views in proportion to its
 * images, within bounds, so that rare products get as many lessons as they can.
 */
export const DEFECT_VIEWS = { perImage: 2, minPerClass: 16, maxPerClass: 64 };

export function defectViewCount(images: number): number {
  return Math.max(DEFECT_VIEWS.minPerClass, Math.min(DEFECT_VIEWS.maxPerClass, DEFECT_VIEWS.perImage * images));
}

const BATCH = 8;

export interface DefectViewOptions {
  fileName: string;
  /** Views of a product with this many images. */
  count(images: number): number;
}

/** The views phase 2 trains on. */
export const TRAINING_VIEWS: DefectViewOptions = { fileName: 'defect-views.f16', count: defectViewCount };

/**
 * Paints views on `files` (per class; `ranges` gives each class's first row in the file those
 * images' own features are in) and stores their features; the views' `cleanRow`s point there.
 */
export async function storeDefectViews(
  source: TokenFeatureSource,
  files: readonly string[][],
  ranges: readonly RowRange[],
  dir: string,
  seed: number,
  check: () => void,
  options: DefectViewOptions = TRAINING_VIEWS,
): Promise<DefectViewIndex & { file: TokenRowFileInfo }> {
  const random = seededRandom(seed);
  const planned: { file: string; row: number; classIndex: number }[] = [];
  files.forEach((classFiles, c) => {
    if (classFiles.length === 0) return;
    const order = seededShuffle(
      classFiles.map((_, i) => i),
      random,
    );
    const first = (ranges[c] as RowRange).first;
    for (let v = 0; v < options.count(classFiles.length); v++) {
      const i = order[v % order.length] as number;
      planned.push({ file: classFiles[i] as string, row: first + i, classIndex: c });
    }
  });
  const grid = source.grid;
  let writer: TokenRowFileWriter | undefined;
  const labels: Float32Array[] = [];
  try {
    for (let b = 0; b < planned.length; b += BATCH) {
      check();
      const chunk = planned.slice(b, b + BATCH);
      const images = await loadNetworkImages(
        chunk.map((p) => p.file),
        source.extractor.inputSize,
        source.fit,
      );
      const painted: RgbImage[] = images.map((image, k) => {
        const kind = IMAGE_DEFECT_KINDS[(b + k) % IMAGE_DEFECT_KINDS.length] as (typeof IMAGE_DEFECT_KINDS)[number];
        const defect = paintImageDefectWithin(image, pixelsOfFrame(image.frame, image.width, image.height), kind, random);
        labels.push(tokenLabels(defect.mask, image.width, image.height, grid));
        return { ...image, data: Buffer.from(defect.image.data) };
      });
      const maps = await source.tokensOfImages(painted);
      writer ??= new TokenRowFileWriter(path.join(dir, options.fileName), grid * grid, tokenDim(maps));
      writer.append(maps.data);
    }
    if (!writer) throw new Error('No images to paint defect views on');
    const { info } = writer.finish();
    const flat = new Float32Array(labels.length * grid * grid);
    labels.forEach((l, i) => flat.set(l, i * grid * grid));
    return {
      file: info,
      classIndex: Int32Array.from(planned.map((p) => p.classIndex)),
      cleanRow: Int32Array.from(planned.map((p) => p.row)),
      labels: flat,
    };
  } catch (error) {
    writer?.abandon();
    throw error;
  }
}
