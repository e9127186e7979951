import type { Migration } from './migration';

export const migration002: Migration = {
  version: 2,
  name: 'model versions, calibration, pseudo-name embeddings, training runs',
  sql: `
    CREATE TABLE training_runs (
      id INTEGER PRIMARY KEY,
      status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
      created_at TEXT NOT NULL,
      started_at TEXT,
      finished_at TEXT,
      config TEXT NOT NULL,
      progress TEXT,
      losses TEXT NOT NULL DEFAULT '[]',
      error TEXT,
      started_by INTEGER REFERENCES users(id) ON DELETE SET NULL
    );
    CREATE TABLE model_versions (
      id INTEGER PRIMARY KEY,
      version TEXT NOT NULL UNIQUE,
      status TEXT NOT NULL CHECK (status IN ('candidate', 'active', 'retired')),
      created_at TEXT NOT NULL,
      directory TEXT NOT NULL,
      backbone TEXT NOT NULL,
      text_tower TEXT NOT NULL,
      config TEXT NOT NULL,
      metrics TEXT,
      file_hashes TEXT NOT NULL,
      training_run_id INTEGER REFERENCES training_runs(id) ON DELETE SET NULL,
      promoted_at TEXT,
      retired_at TEXT
    );
    -- At most one active model: the one the station inspects with.
    CREATE UNIQUE INDEX model_versions_one_active ON model_versions(status) WHERE status = 'active';
    CREATE TABLE model_class_calibration (
      model_version_id INTEGER NOT NULL REFERENCES model_versions(id) ON DELETE CASCADE,
      class_id INTEGER NOT NULL REFERENCES product_classes(id) ON DELETE CASCADE,
      threshold REAL NOT NULL,
      target_false_reject_rate REAL,
      normalisation TEXT NOT NULL,
      PRIMARY KEY (model_version_id, class_id)
    );
    CREATE TABLE pseudo_name_embeddings (
      model_version_id INTEGER NOT NULL REFERENCES model_versions(id) ON DELETE CASCADE,
      class_id INTEGER NOT NULL REFERENCES product_classes(id) ON DELETE CASCADE,
      tokens INTEGER NOT NULL CHECK (tokens > 0),
      dim INTEGER NOT NULL CHECK (dim > 0),
      data BLOB NOT NULL,
      CHECK (length(data) = tokens * dim * 4),
      PRIMARY KEY (model_version_id, class_id)
    );
  `,
};
