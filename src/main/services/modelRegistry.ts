import path from 'node:path';
import type { ModelVersion } from '../../shared/catalogTypes';
import type { Catalog } from '../catalog/catalog';
import { DomainError } from '../domainError';
import { LtadModel } from '../engine/ltad/ltadModel';
import { readModelDirectory } from '../engine/ltad/modelDirectory';
import { initTfjs } from '../engine/tfjsRuntime';
import type { StationPaths } from '../stationPaths';

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
  const model = LtadModel.fromWeights(meta, weights);
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

/** The named version, or the active one; its files are checked against the catalogue's hashes. */
export async function loadModelVersion(catalog: Catalog, version?: string): Promise<{ row: ModelVersion; model: LtadModel }> {
  await initTfjs();
  const row = version ? catalog.models.getByVersion(version) : catalog.models.active();
  if (!row) throw version ? new DomainError('not-found', `No model version "${version}" in this station's catalogue`) : new DomainError('no-model', 'No active model: train one and promote it, or name one with --model');
  const { meta, weights } = readModelDirectory(row.directory, row.fileHashes);
  // Thresholds tuned by a supervisor live in the catalogue and win over the trained ones.
  for (const c of catalog.models.calibration(row.id)) {
    const name = catalog.classes.get(c.classId)?.name;
    const record = name ? meta.calibration[name] : undefined;
    if (record) record.threshold = c.threshold;
  }
  return { row, model: LtadModel.fromWeights(meta, weights) };
}
