import type { ModelSummary } from '../../../shared/api/apiRecords';
import type { ModelVersion, User } from '../../../shared/catalogTypes';
import type { Catalog } from '../../catalog/catalog';
import { DomainError } from '../../domainError';
import type { LtadModelMeta } from '../../engine/ltad/ltadModel';
import { falseRejectRate, newPartFalseRejectBound } from '../../../shared/falseRejectRate';
import { readModelMeta } from '../../engineAdapters/modelDirectory';
import { promoteModel } from './supervisorActions';

// A damaged or missing model still lists, without its per-product details.
const readMeta = (row: ModelVersion): LtadModelMeta | null => readModelMeta(row.directory);

/** A model version for the Retrain screen: per product, the threshold in force and the good scores behind it. */
export function summariseModel(catalog: Catalog, row: ModelVersion): ModelSummary {
  const meta = readMeta(row);
  // The threshold in force and where it came from are the catalogue's; the model file keeps what training measured.
  const inForce = new Map(catalog.models.calibration(row.id).map((c) => [catalog.classes.get(c.classId)?.name, c]));
  const classes = (meta?.classNames ?? []).map((product) => {
    const trained = meta?.calibration[product];
    const current = inForce.get(product);
    const threshold = current?.threshold ?? trained?.threshold ?? 0;
    const goodScores = trained?.goodScores ?? [];
    const classId = catalog.classes.getByName(product)?.id;
    return {
      product,
      threshold,
      targetFalseRejectRate: trained?.targetFalseRejectRate ?? 0,
      thresholdSource: current?.thresholdSource ?? trained?.thresholdSource ?? 'training',
      carriedFrom: current?.carriedFrom ?? null,
      goodScores,
      defectScores: classId === undefined ? [] : catalog.inspections.defectScores(row.id, classId),
      falseRejectRate: falseRejectRate(goodScores, threshold),
      // Only held-out scores are like new parts; training images score low because they were learned.
      newPartFalseRejectBound: trained?.thresholdSource === 'held-out' ? newPartFalseRejectBound(goodScores, threshold) : null,
      nTrain: meta?.training.nTrainPerClass[product] ?? 0,
      nHeldOut: meta?.training.nHeldOutPerClass[product] ?? 0,
    };
  });
  const preset = typeof row.config.preset === 'string' ? row.config.preset : null;
  return {
    version: row.version,
    status: row.status,
    createdAt: row.createdAt,
    promotedAt: row.promotedAt,
    backbone: row.backbone,
    textTower: row.textTower,
    preset,
    trainSeconds: meta?.training.seconds ?? null,
    classes,
  };
}

export function listModels(catalog: Catalog): ModelSummary[] {
  return catalog.models.list().map((row) => summariseModel(catalog, row));
}

function modelRow(catalog: Catalog, version: string): ModelVersion {
  const row = catalog.models.getByVersion(version);
  if (!row) throw new DomainError('not-found', `No model version "${version}"`);
  return row;
}

/** Promote a candidate, or roll back to an earlier version: either way it becomes the active one. */
export function activateModel(catalog: Catalog, supervisor: User, version: string): ModelSummary {
  return summariseModel(catalog, promoteModel(catalog, supervisor, version));
}

/** A supervisor's threshold for one product of one model, kept in the catalogue (it wins over the trained one). */
export function setThreshold(catalog: Catalog, supervisor: User, version: string, product: string, threshold: number): ModelSummary {
  const row = modelRow(catalog, version);
  const productRow = catalog.classes.getByName(product);
  const calibration = catalog.models.calibration(row.id);
  const existing = calibration.find((c) => c.classId === productRow?.id);
  if (!productRow || !existing) throw new DomainError('not-found', `Model ${version} was not trained on "${product}"`);
  catalog.models.setCalibration(row.id, [{ ...existing, threshold, thresholdSource: 'supervisor', carriedFrom: null }]);
  catalog.audit.record({
    userId: supervisor.id,
    actor: supervisor.name,
    action: 'threshold.set',
    target: `${version}/${product}`,
    details: { from: existing.threshold, to: threshold },
  });
  return summariseModel(catalog, row);
}
