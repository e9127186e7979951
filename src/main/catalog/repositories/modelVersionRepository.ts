import type Database from 'better-sqlite3';
import type { ClassCalibration, ModelStatus, ModelVersion, ThresholdSource } from '../../../shared/catalogTypes';
import { DomainError } from '../../domainError';
import { fromJsonColumn, nowIso, toJsonColumn } from './jsonColumn';

export interface NewModelVersion {
  version: string;
  directory: string;
  backbone: string;
  textTower: string;
  config: Record<string, unknown>;
  metrics?: Record<string, unknown> | null;
  fileHashes: Record<string, string>;
  trainingRunId?: number | null;
}

/** Learned pseudo-name token embeddings of one class: tokens x dim float32 values. */
export interface PseudoNameEmbedding {
  classId: number;
  tokens: number;
  dim: number;
  data: Float32Array;
}

interface ModelRow {
  id: number;
  version: string;
  status: ModelStatus;
  created_at: string;
  directory: string;
  backbone: string;
  text_tower: string;
  config: string;
  metrics: string | null;
  file_hashes: string;
  training_run_id: number | null;
  promoted_at: string | null;
  retired_at: string | null;
}

const toModel = (r: ModelRow): ModelVersion => ({
  id: r.id,
  version: r.version,
  status: r.status,
  createdAt: r.created_at,
  directory: r.directory,
  backbone: r.backbone,
  textTower: r.text_tower,
  config: fromJsonColumn<Record<string, unknown>>(r.config) ?? {},
  metrics: fromJsonColumn<Record<string, unknown>>(r.metrics),
  fileHashes: fromJsonColumn<Record<string, string>>(r.file_hashes) ?? {},
  trainingRunId: r.training_run_id,
  promotedAt: r.promoted_at,
  retiredAt: r.retired_at,
});

/** Model versions with their per-class thresholds, normalisation and pseudo-name embeddings. */
export class ModelVersionRepository {
  constructor(private readonly db: Database.Database) {}

  /** A new model always starts as a candidate. */
  createCandidate(model: NewModelVersion): ModelVersion {
    const info = this.db
      .prepare(
        `INSERT INTO model_versions (version, status, created_at, directory, backbone, text_tower, config, metrics, file_hashes, training_run_id)
         VALUES (?, 'candidate', ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        model.version,
        nowIso(),
        model.directory,
        model.backbone,
        model.textTower,
        JSON.stringify(model.config),
        toJsonColumn(model.metrics ?? null),
        JSON.stringify(model.fileHashes),
        model.trainingRunId ?? null,
      );
    return this.get(Number(info.lastInsertRowid)) as ModelVersion;
  }

  get(id: number): ModelVersion | undefined {
    const row = this.db.prepare('SELECT * FROM model_versions WHERE id = ?').get(id) as ModelRow | undefined;
    return row && toModel(row);
  }

  getByVersion(version: string): ModelVersion | undefined {
    const row = this.db.prepare('SELECT * FROM model_versions WHERE version = ?').get(version) as ModelRow | undefined;
    return row && toModel(row);
  }

  active(): ModelVersion | undefined {
    const row = this.db.prepare("SELECT * FROM model_versions WHERE status = 'active'").get() as ModelRow | undefined;
    return row && toModel(row);
  }

  list(): ModelVersion[] {
    return (this.db.prepare('SELECT * FROM model_versions ORDER BY id DESC').all() as ModelRow[]).map(toModel);
  }

  setMetrics(id: number, metrics: Record<string, unknown>): void {
    this.db.prepare('UPDATE model_versions SET metrics = ? WHERE id = ?').run(JSON.stringify(metrics), id);
  }

  /** Makes `id` the active model and retires the previous one, atomically. Also used to roll back. */
  promote(id: number): void {
    this.db.transaction(() => {
      const target = this.get(id);
      if (!target) throw new DomainError('not-found', `Model version ${id} does not exist`);
      const now = nowIso();
      this.db.prepare("UPDATE model_versions SET status = 'retired', retired_at = ? WHERE status = 'active' AND id != ?").run(now, id);
      this.db.prepare("UPDATE model_versions SET status = 'active', promoted_at = ?, retired_at = NULL WHERE id = ?").run(now, id);
    })();
  }

  setCalibration(modelVersionId: number, calibrations: readonly ClassCalibration[]): void {
    const upsert = this.db.prepare(
      `INSERT INTO model_class_calibration (model_version_id, class_id, threshold, threshold_source, target_false_reject_rate, normalisation, carried_from)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (model_version_id, class_id) DO UPDATE SET
         threshold = excluded.threshold, threshold_source = excluded.threshold_source,
         target_false_reject_rate = excluded.target_false_reject_rate, normalisation = excluded.normalisation,
         carried_from = excluded.carried_from`,
    );
    this.db.transaction(() => {
      for (const c of calibrations) {
        if (!Number.isFinite(c.threshold))
          throw new DomainError('invalid-input', `Threshold for class ${c.classId} must be a finite number`);
        upsert.run(
          modelVersionId,
          c.classId,
          c.threshold,
          c.thresholdSource,
          c.targetFalseRejectRate,
          JSON.stringify(c.normalisation),
          c.carriedFrom ? JSON.stringify(c.carriedFrom) : null,
        );
      }
    })();
  }

  calibration(modelVersionId: number): ClassCalibration[] {
    const rows = this.db
      .prepare('SELECT * FROM model_class_calibration WHERE model_version_id = ? ORDER BY class_id')
      .all(modelVersionId) as {
      class_id: number;
      threshold: number;
      threshold_source: ThresholdSource;
      target_false_reject_rate: number | null;
      normalisation: string;
      carried_from: string | null;
    }[];
    return rows.map((r) => ({
      classId: r.class_id,
      threshold: r.threshold,
      thresholdSource: r.threshold_source,
      targetFalseRejectRate: r.target_false_reject_rate,
      normalisation: JSON.parse(r.normalisation) as Record<string, number>,
      carriedFrom: fromJsonColumn<{ version: string; threshold: number }>(r.carried_from),
    }));
  }

  savePseudoNames(modelVersionId: number, embeddings: readonly PseudoNameEmbedding[]): void {
    const insert = this.db.prepare(
      `INSERT OR REPLACE INTO pseudo_name_embeddings (model_version_id, class_id, tokens, dim, data) VALUES (?, ?, ?, ?, ?)`,
    );
    this.db.transaction(() => {
      for (const e of embeddings) {
        if (e.data.length !== e.tokens * e.dim)
          throw new Error(`Pseudo-name of class ${e.classId}: ${e.data.length} values for ${e.tokens}x${e.dim}`);
        insert.run(modelVersionId, e.classId, e.tokens, e.dim, float32ToBlob(e.data));
      }
    })();
  }

  pseudoNames(modelVersionId: number): PseudoNameEmbedding[] {
    const rows = this.db
      .prepare('SELECT class_id, tokens, dim, data FROM pseudo_name_embeddings WHERE model_version_id = ? ORDER BY class_id')
      .all(modelVersionId) as { class_id: number; tokens: number; dim: number; data: Buffer }[];
    return rows.map((r) => ({ classId: r.class_id, tokens: r.tokens, dim: r.dim, data: blobToFloat32(r.data) }));
  }
}

/** Little-endian float32 bytes, the same on every station. */
export function float32ToBlob(values: Float32Array): Buffer {
  const blob = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => blob.writeFloatLE(v, i * 4));
  return blob;
}

export function blobToFloat32(blob: Buffer): Float32Array {
  const out = new Float32Array(blob.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = blob.readFloatLE(i * 4);
  return out;
}
