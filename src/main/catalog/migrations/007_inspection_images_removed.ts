import type { Migration } from './migration';

/** Why an inspection's image files are gone while its record stays: 'retention' or 'disk-full'. */
export const migration007: Migration = {
  version: 7,
  name: 'inspection images removed',
  sql: `
    ALTER TABLE inspections ADD COLUMN images_removed TEXT CHECK (images_removed IN ('retention', 'disk-full'));
    CREATE INDEX inspections_kept_by_time ON inspections(at) WHERE images_removed IS NULL;
  `,
};
