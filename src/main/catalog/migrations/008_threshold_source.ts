import type { Migration } from './migration';

/**
 * Where each product's threshold in force came from, stored rather than guessed from a comparison
 * with the model file: 'held-out' or 'training' as training measured it, 'supervisor' once tuned.
 * Rows from before start as 'training', except those a supervisor set: the audit log names them
 * ('threshold.set' on "<version>/<product>").
 */
export const migration008: Migration = {
  version: 8,
  name: 'threshold source',
  sql: `
    ALTER TABLE model_class_calibration ADD COLUMN threshold_source TEXT NOT NULL DEFAULT 'training'
      CHECK (threshold_source IN ('held-out', 'training', 'supervisor'));
    UPDATE model_class_calibration SET threshold_source = 'supervisor'
      WHERE EXISTS (
        SELECT 1 FROM audit_log a
          JOIN model_versions m ON m.id = model_class_calibration.model_version_id
          JOIN product_classes p ON p.id = model_class_calibration.class_id
        WHERE a.action = 'threshold.set' AND a.target = m.version || '/' || p.name
      );
  `,
};
