import type { Migration } from './migration';

/**
 * Each inspection keeps the spread of its product's score scale when it ran (with its threshold,
 * the whole scale, src/shared/normalisedScore.ts), so the normalised score it showed can be given
 * again from its own row after the threshold or the model changes. Null for rows recorded before.
 */
export const migration010: Migration = {
  version: 10,
  name: 'score spread',
  sql: `
    ALTER TABLE inspections ADD COLUMN score_spread REAL NULL;
  `,
};
