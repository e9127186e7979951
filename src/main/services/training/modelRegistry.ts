import path from 'node:path';
import type { ModelVersion } from '../../../shared/catalogTypes';
import type { TrainedModel } from '../../../shared/training';
import type { Catalog } from '../../catalog/catalog';
import { carryThreshold } from '../../engine/calibration/thresholdCarry';
import { readModelMeta } from '../../engineAdapters/modelDirectory';
import type { StationPaths } from '../../stationPaths';

/** A sortable, readable version name: ltad-20261129-064512-3f2a. */
export function newModelVersionName(now = new Date(), suffix = Math.random().toString(16).slice(2, 6)): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `ltad-${stamp}-${suffix}`;
}

export function modelDirectoryFor(paths: StationPaths, version: string): string {
  return path.join(paths.modelsDir, version);
}

/** A product's threshold on the new model, where a supervisor's choice on the active model carried over. */
interface CarriedThreshold {
  threshold: number;
  carriedFrom: { version: string; threshold: number };
}

/**
 * The supervisor's thresholds of the active model, carried to the new one as what they meant
 * (engine/calibration/thresholdCarry.ts): a retrained model must not quietly return a tuned
 * product to the trained threshold. Products without a supervisor's threshold, or whose scores give
 * nothing to carry with, keep what training set.
 */
export function carriedThresholds(catalog: Catalog, trained: TrainedModel): Map<string, CarriedThreshold> {
  const carried = new Map<string, CarriedThreshold>();
  const active = catalog.models.active();
  const meta = active ? readModelMeta(active.directory) : null;
  if (!active || !meta) return carried;
  for (const c of catalog.models.calibration(active.id)) {
    const name = catalog.classes.get(c.classId)?.name;
    const before = name ? meta.calibration[name] : undefined;
    const product = trained.products.find((p) => p.name === name);
    if (c.thresholdSource !== 'supervisor' || !name || !before || !product) continue;
    const threshold = carryThreshold(
      { trained: before.threshold, goodScores: before.goodScores, chosen: c.threshold },
      { trained: product.threshold, goodScores: product.goodScores },
    );
    if (threshold !== null) carried.set(name, { threshold, carriedFrom: { version: active.version, threshold: c.threshold } });
  }
  return carried;
}

/**
 * Records a model directory written by training as a candidate version: the model row with its file
 * hashes, per-product thresholds and normalisation, and the learned pseudo-name embeddings. All of
 * it comes from the training worker (trainedModelRecord.ts): nothing here loads the model. A
 * supervisor's threshold on the active model is carried over (carriedThresholds) and audit-logged.
 */
export function registerModel(catalog: Catalog, version: string, trained: TrainedModel, trainingRunId: number | null): ModelVersion {
  const carried = carriedThresholds(catalog, trained);
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
      trained.products.map((p, c) => {
        const carry = carried.get(p.name);
        return {
          classId: classIds[c] as number,
          threshold: carry?.threshold ?? p.threshold,
          thresholdSource: carry ? ('supervisor' as const) : p.thresholdSource,
          targetFalseRejectRate: p.targetFalseRejectRate,
          normalisation: { lambda: trained.lambda, featureChannels: trained.featureChannels },
          carriedFrom: carry?.carriedFrom ?? null,
        };
      }),
    );
    for (const [product, carry] of carried)
      catalog.audit.record({
        actor: 'station',
        action: 'threshold.carry',
        target: `${version}/${product}`,
        details: { from: carry.carriedFrom, trained: trained.products.find((p) => p.name === product)?.threshold, to: carry.threshold },
      });
    catalog.models.savePseudoNames(
      row.id,
      trained.products.map((p, c) => ({ classId: classIds[c] as number, ...p.pseudoName })),
    );
    return row;
  })();
}
