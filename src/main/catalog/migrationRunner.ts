import type Database from 'better-sqlite3';
import type { Migration } from './migrations/migration';

export interface MigrationResult {
  from: number;
  to: number;
  applied: number[];
}

/**
 * Brings the schema up to the last migration (or `target`). Each migration runs once, inside its
 * own transaction together with its bookkeeping row, so a crash leaves the database at the last
 * complete version. A database written by a newer station is refused rather than guessed at.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[], target?: number): MigrationResult {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`Migration list is out of order at "${m.name}" (version ${m.version}, expected ${i + 1})`);
  });
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const applied = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all() as { version: number; name: string }[];
  applied.forEach((row, i) => {
    const known = migrations[i];
    if (row.version !== i + 1) throw new Error(`Catalogue schema history has a gap at version ${i + 1}`);
    if (!known)
      throw new Error(
        `The catalogue is at schema version ${row.version}, newer than this station understands (${migrations.length}); update the station`,
      );
    if (known.name !== row.name) throw new Error(`Catalogue migration ${row.version} is "${row.name}", expected "${known.name}"`);
  });
  const from = applied.length;
  const to = Math.min(target ?? migrations.length, migrations.length);
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const done: number[] = [];
  for (const migration of migrations.slice(from, to)) {
    db.transaction(() => {
      db.exec(migration.sql);
      record.run(migration.version, migration.name, new Date().toISOString());
      db.pragma(`user_version = ${migration.version}`);
    })();
    done.push(migration.version);
  }
  return { from, to: Math.max(from, to), applied: done };
}

export function schemaVersion(db: Database.Database): number {
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null } | undefined;
  return row?.v ?? 0;
}
