import type { Migration } from './migration';

/**
 * Where each product's threshold in force came from, stored rather than guessed from a comparison
 * with the model file: 'held-out' or 'training' as training measured it, 'supervisor' once tuned.
 * Rows from before were set by training unless a supervisor changed them, which the audit log
 * alone knows: they start as 'training'.
 */
export const migration008: Migration = {
  version: 8,
  name: 'threshold source',
  sql: `
    ALTER TABLE model_class_calibration ADD COLUMN threshold_source TEXT NOT NULL DEFAULT 'training'
      CHECK (threshold_source IN ('held-out', 'training', 'supervisor'));
  `,
};
