import type { Migration } from './migration';

export const migration003: Migration = {
  version: 3,
  name: 'inspections and defect regions',
  sql: `
    ALTER TABLE training_runs ADD COLUMN model_version_id INTEGER REFERENCES model_versions(id) ON DELETE SET NULL;
    CREATE TABLE inspections (
      id INTEGER PRIMARY KEY,
      at TEXT NOT NULL,
      station TEXT NOT NULL,
      operator_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
      class_id INTEGER NOT NULL REFERENCES product_classes(id),
      image_path TEXT NOT NULL,
      image_sha256 TEXT NOT NULL,
      score REAL NOT NULL,
      threshold REAL NOT NULL,
      verdict TEXT NOT NULL CHECK (verdict IN ('pass', 'fail')),
      model_version_id INTEGER NOT NULL REFERENCES model_versions(id),
      anomaly_map_path TEXT,
      latency_ms REAL,
      source TEXT NOT NULL CHECK (source IN ('import', 'camera', 'hot-folder', 'synthetic', 'dataset')),
      class_warning INTEGER NOT NULL DEFAULT 0 CHECK (class_warning IN (0, 1)),
      review TEXT CHECK (review IN ('false-reject', 'false-accept'))
    );
    CREATE INDEX inspections_by_time ON inspections(at);
    CREATE INDEX inspections_by_class_time ON inspections(class_id, at);
    CREATE TABLE defect_regions (
      id INTEGER PRIMARY KEY,
      inspection_id INTEGER NOT NULL REFERENCES inspections(id) ON DELETE CASCADE,
      x INTEGER NOT NULL,
      y INTEGER NOT NULL,
      width INTEGER NOT NULL,
      height INTEGER NOT NULL,
      area INTEGER NOT NULL,
      peak_score REAL NOT NULL,
      mean_score REAL NOT NULL
    );
    CREATE INDEX defect_regions_by_inspection ON defect_regions(inspection_id);
  `,
};
