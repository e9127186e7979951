import type { Migration } from './migration';

/**
 * Wrong-PIN counts per supervisor name, kept apart from the audit log: counting audit rows let a
 * flood of other refusals push the failures out of the counted window.
 */
export const migration005: Migration = {
  version: 5,
  name: 'pin attempts',
  sql: `
    CREATE TABLE pin_attempts (
      name TEXT PRIMARY KEY,
      failures INTEGER NOT NULL,
      window_started_ms INTEGER NOT NULL,
      locked_until_ms INTEGER
    );
  `,
};
