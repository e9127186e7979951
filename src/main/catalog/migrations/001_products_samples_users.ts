import type { Migration } from './migration';

export const migration001: Migration = {
  version: 1,
  name: 'products, sample images, users, audit log',
  sql: `
    CREATE TABLE product_classes (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL UNIQUE,
      display_name TEXT NOT NULL,
      created_at TEXT NOT NULL,
      archived INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1))
    );
    CREATE TABLE sample_images (
      id INTEGER PRIMARY KEY,
      class_id INTEGER NOT NULL REFERENCES product_classes(id) ON DELETE CASCADE,
      path TEXT NOT NULL,
      sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
      split TEXT NOT NULL CHECK (split IN ('train', 'validation', 'test')),
      label TEXT NOT NULL CHECK (label IN ('good', 'defect')),
      defect_type TEXT,
      mask_path TEXT,
      source TEXT NOT NULL CHECK (source IN ('import', 'camera', 'hot-folder', 'synthetic', 'dataset')),
      width INTEGER,
      height INTEGER,
      added_at TEXT NOT NULL,
      UNIQUE (class_id, sha256)
    );
    CREATE INDEX sample_images_by_class ON sample_images(class_id, split, label);
    CREATE TABLE users (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL UNIQUE,
      role TEXT NOT NULL CHECK (role IN ('operator', 'supervisor')),
      pin_hash TEXT,
      created_at TEXT NOT NULL,
      disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1))
    );
    CREATE TABLE audit_log (
      id INTEGER PRIMARY KEY,
      at TEXT NOT NULL,
      user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
      actor TEXT NOT NULL,
      action TEXT NOT NULL,
      target TEXT,
      details TEXT
    );
    CREATE INDEX audit_log_by_time ON audit_log(at);
  `,
};
