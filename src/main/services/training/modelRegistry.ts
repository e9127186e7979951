import path from 'node:path';
import type { ModelVersion } from '../../../shared/catalogTypes';
import type { TrainedModel } from '../../../shared/training';
import type { Catalog } from '../../catalog/catalog';
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
 * hashes, per-product thresholds and normalisation, and the learned pseudo-name embeddings. All of
 * it comes from the training worker (trainedModelRecord.ts): nothing here loads the model.
 */
export function registerModel(catalog: Catalog, version: string, trained: TrainedModel, trainingRunId: number | null): ModelVersion {
  return catalog.db.transaction(() => {
    const classIds = trained.products.map((p) => (catalog.classes.getByName(p.name) ?? catalog.classes.create(p.name)).id);
    const row = catalog.models.createCandidate({
      version,
      directory: trained.modelDir,
      backbone: trained.backbone,
      textTower: trained.textTower,
      config: trained.config,
      metrics: { training: trained.training },
      fileHashes: trained.fileHashes,
      trainingRunId,
    });
    catalog.models.setCalibration(
      row.id,
      trained.products.map((p, c) => ({
        classId: classIds[c] as number,
        threshold: p.threshold,
        thresholdSource: p.thresholdSource,
        targetFalseRejectRate: p.targetFalseRejectRate,
        normalisation: { lambda: trained.lambda, featureChannels: trained.featureChannels },
      })),
    );
    catalog.models.savePseudoNames(
      row.id,
      trained.products.map((p, c) => ({ classId: classIds[c] as number, ...p.pseudoName })),
    );
    return row;
  })();
}
