import type { Migration } from './migration';

/** Station settings (key -> JSON value) and the files an inspection shows: its overlay and source name. */
export const migration004: Migration = {
  version: 4,
  name: 'settings and inspection overlay files',
  sql: `
    CREATE TABLE settings (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL CHECK (json_valid(value)),
      updated_at TEXT NOT NULL
    );
    ALTER TABLE inspections ADD COLUMN overlay_path TEXT;
    ALTER TABLE inspections ADD COLUMN file_name TEXT;
    ALTER TABLE inspections ADD COLUMN nearest_class TEXT;
  `,
};
