import type { TokenRowFileInfo } from '../../engine/features/tokenRowFileInfo';
import { TokenRowFile } from '../../engineAdapters/tokenRowFile';
import type { LtadModel } from '../../engine/ltad/ltadModel';
import { chooseProductSemanticWeights, type SemanticWeightChoice } from '../../engine/ltad/semanticWeight';
import type { PositionStats } from '../../engine/ltad/positionNormalisation';
import { tokenScoresToMap } from '../../engine/scoring/mapPostprocess';
import { storeDefectViews } from './defectViewStore';
import type { RowRange } from './trainingFeatureStore';
import type { TokenFeatureSource } from '../inspection/tokenFeatureSource';

/** Held-out good images per product the choice looks at, each also painted once. */
const VALIDATION_IMAGES = 32;

/**
 * Chooses S_sem's weight in S for a freshly trained model, per product and pooled (semanticWeight.ts):
 * one defect painted on each of up to VALIDATION_IMAGES held-out good images per product, scored
 * against those good images. Undefined when no product has held-out images (the model then weighs
 * S_sem fully).
 */
export async function calibrateSemanticWeight(
  model: LtadModel,
  source: TokenFeatureSource,
  heldOut: { info: TokenRowFileInfo; ranges: readonly RowRange[]; files: readonly string[][] },
  /** What product c's held-out image (by its index among them) is scored against (productPositionStats.ts). */
  statsFor: (classIndex: number, heldOutIndex: number) => PositionStats,
  dir: string,
  seed: number,
  check: () => void,
): Promise<{ pooled: SemanticWeightChoice; perProduct: Record<string, SemanticWeightChoice> } | undefined> {
  const files = heldOut.files.map((f) => f.slice(0, VALIDATION_IMAGES));
  if (files.every((f) => f.length === 0)) return undefined;
  const views = await storeDefectViews(source, files, heldOut.ranges, dir, seed, check, {
    fileName: 'held-out-views.f16',
    count: (n) => n,
  });
  const [goodFile, viewFile] = [new TokenRowFile(heldOut.info), new TokenRowFile(views.file)];
  try {
    const { grid } = model.meta.config;
    const classes = model.meta.classNames.map((name, c) => {
      const range = heldOut.ranges[c] as RowRange;
      const goodRows = Array.from({ length: (files[c] as string[]).length }, (_, i) => range.first + i);
      // A view whose painting left no visible change is no defect: it does not count.
      const viewRows = [...views.classIndex.keys()].filter(
        (v) => views.classIndex[v] === c && views.labels.subarray(v * grid * grid, (v + 1) * grid * grid).some((l) => l > 0),
      );
      check();
      // A painted view lies in the input where its clean image did, and is scored as that image is.
      const frameOfRow = (row: number) => source.frameOf((files[c] as string[])[row - range.first] as string);
      const statsOfRow = (row: number) => statsFor(c, row - range.first);
      return {
        name,
        good: goodRows.map((r) => ({ terms: model.scoreTerms(goodFile.read([r]), 1, name), frame: frameOfRow(r), stats: statsOfRow(r) })),
        painted: viewRows.map((v) => ({
          terms: model.scoreTerms(viewFile.read([v]), 1, name),
          frame: frameOfRow(views.cleanRow[v] as number),
          stats: statsOfRow(views.cleanRow[v] as number),
        })),
      };
    });
    return chooseProductSemanticWeights(classes, (scores, frame) => tokenScoresToMap(scores, grid, model.meta.map, frame).imageScore);
  } finally {
    goodFile.close();
    viewFile.close();
  }
}
