import type { Migration } from './migration';

/**
 * A supervisor's threshold carried to a retrained model keeps where it came from (the model
 * version and the threshold there, as JSON), so the candidate can show what it became.
 */
export const migration009: Migration = {
  version: 9,
  name: 'threshold carried from',
  sql: `
    ALTER TABLE model_class_calibration ADD COLUMN carried_from TEXT NULL;
  `,
};
