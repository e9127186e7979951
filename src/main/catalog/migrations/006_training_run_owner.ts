import type { Migration } from './migration';

/**
 * Which process runs a training, and when it last said so: a station starting up must fail only
 * the runs of processes that died, not a live CLI training's.
 */
export const migration006: Migration = {
  version: 6,
  name: 'training run owner',
  sql: `
    ALTER TABLE training_runs ADD COLUMN owner_pid INTEGER;
    ALTER TABLE training_runs ADD COLUMN heartbeat_at TEXT;
  `,
};
