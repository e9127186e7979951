import path from 'node:path';
import type { ModelVersion } from '../../../shared/catalogTypes';
import type { Catalog } from '../../catalog/catalog';
import { readModelDirectory } from '../../engineAdapters/modelDirectory';
import { openLtadModel } from '../../engineAdapters/openLtadModel';
import { initTfjs } from '../../engine/tfjsRuntime';
import type { StationPaths } from '../../stationPaths';

/** A sortable, readable version name: ltad-20261129-064512-3f2a. */
export function newModelVersionName(now = new Date(), suffix = Math.random().toString(16).slice(2, 6)): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `ltad-${stamp}-${suffix}`;
}

export function modelDirectoryFor(paths: StationPaths, version: string): string {
  return path.join(paths.modelsDir, version);
}

/**
 * Records a model directory written by training as a candidate version: the model row with its file
 * hashes, per-class thresholds and normalisation, and the learned pseudo-name embeddings.
 */
export async function registerModel(catalog: Catalog, version: string, modelDir: string, fileHashes: Record<string, string>, trainingRunId: number | null): Promise<ModelVersion> {
  await initTfjs();
  const { meta, weights } = readModelDirectory(modelDir, fileHashes);
  const model = openLtadModel(meta, weights);
  try {
    return catalog.db.transaction(() => {
      const classIds = meta.classNames.map((name) => (catalog.classes.getByName(name) ?? catalog.classes.create(name)).id);
      const row = catalog.models.createCandidate({
        version,
        directory: modelDir,
        backbone: meta.backbone,
        textTower: meta.textTower,
        config: { ...meta.config, taps: meta.taps, map: meta.map, lambda: meta.lambda },
        metrics: { training: meta.training },
        fileHashes,
        trainingRunId,
      });
      catalog.models.setCalibration(
        row.id,
        meta.classNames.map((name, c) => ({
          classId: classIds[c] as number,
          threshold: meta.calibration[name]?.threshold as number,
          targetFalseRejectRate: meta.calibration[name]?.targetFalseRejectRate ?? null,
          normalisation: { lambda: meta.lambda, featureChannels: meta.normalisation.mean.length },
        })),
      );
      catalog.models.savePseudoNames(row.id, model.pseudoNames().map((p, c) => ({ classId: classIds[c] as number, tokens: p.tokens, dim: p.dim, data: p.data })));
      return row;
    })();
  } finally {
    model.dispose();
  }
}
