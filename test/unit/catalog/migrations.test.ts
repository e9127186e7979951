import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../../src/main/catalog/catalog';
import { migrate, schemaVersion } from '../../../src/main/catalog/migrationRunner';
import { MIGRATIONS } from '../../../src/main/catalog/migrations';
import type { Migration } from '../../../src/main/catalog/migrations/migration';
import { useTempDirs } from '../../helpers/tempDir';

const tempDir = useTempDirs();

function tables(db: Database.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
}

describe('migrations', () => {
  it('creates the whole schema on a new database, in WAL mode with foreign keys on', () => {
    const file = path.join(tempDir(), 'catalog.sqlite');
    const catalog = Catalog.open(file);
    expect(catalog.migration).toEqual({ from: 0, to: MIGRATIONS.length, applied: MIGRATIONS.map((m) => m.version) });
    expect(tables(catalog.db)).toEqual(
      expect.arrayContaining([
        'product_classes',
        'sample_images',
        'users',
        'audit_log',
        'model_versions',
        'model_class_calibration',
        'pseudo_name_embeddings',
        'training_runs',
        'inspections',
        'defect_regions',
        'schema_migrations',
      ]),
    );
    expect(catalog.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(catalog.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(catalog.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    catalog.close();
  });

  it('runs each migration once: reopening applies nothing', () => {
    const file = path.join(tempDir(), 'catalog.sqlite');
    Catalog.open(file).close();
    const again = Catalog.open(file);
    expect(again.migration.applied).toEqual([]);
    expect((again.db.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get() as { n: number }).n).toBe(MIGRATIONS.length);
    again.close();
  });

  it('upgrades a version-1 database and keeps its data', () => {
    const file = path.join(tempDir(), 'old.sqlite');
    const old = new Database(file);
    old.pragma('foreign_keys = ON');
    migrate(old, MIGRATIONS, 1);
    expect(schemaVersion(old)).toBe(1);
    expect(tables(old)).not.toContain('inspections');
    old.prepare("INSERT INTO product_classes (name, display_name, created_at) VALUES ('bracket', 'Bracket', '2026-01-01T00:00:00Z')").run();
    old
      .prepare(
        `INSERT INTO sample_images (class_id, path, sha256, split, label, source, added_at)
       VALUES (1, 'images/a.png', '${'a'.repeat(64)}', 'train', 'good', 'import', '2026-01-01T00:00:00Z')`,
      )
      .run();
    old.close();

    const upgraded = Catalog.open(file);
    expect(upgraded.migration).toEqual({ from: 1, to: MIGRATIONS.length, applied: MIGRATIONS.slice(1).map((m) => m.version) });
    expect(upgraded.classes.listWithCounts()).toMatchObject([{ name: 'bracket', goodTrainImages: 1 }]);
    // The new tables work against the old rows.
    const run = upgraded.trainingRuns.create({ preset: 'fast' });
    expect(run.modelVersionId).toBeNull();
    upgraded.close();
  });

  it("marks the thresholds a supervisor set before the source was stored (the audit log names them), the rest as training's", () => {
    const file = path.join(tempDir(), 'v7.sqlite');
    const old = new Database(file);
    old.pragma('foreign_keys = ON');
    migrate(old, MIGRATIONS, 7);
    const at = '2026-01-01T00:00:00Z';
    for (const name of ['gear', 'plate'])
      old.prepare('INSERT INTO product_classes (name, display_name, created_at) VALUES (?, ?, ?)').run(name, name, at);
    old
      .prepare(
        `INSERT INTO model_versions (version, status, created_at, directory, backbone, text_tower, config, file_hashes)
         VALUES ('m-1', 'active', ?, 'models/m-1', 'mobilenetv2', 'built-in', '{}', '{}')`,
      )
      .run(at);
    for (const classId of [1, 2])
      old
        .prepare("INSERT INTO model_class_calibration (model_version_id, class_id, threshold, normalisation) VALUES (1, ?, 2.5, '{}')")
        .run(classId);
    old.prepare("INSERT INTO audit_log (at, actor, action, target, details) VALUES (?, 'sam', 'threshold.set', 'm-1/plate', '{}')").run(at);
    old.prepare("INSERT INTO audit_log (at, actor, action, target, details) VALUES (?, 'sam', 'model.promote', 'm-1', '{}')").run(at);
    old.close();

    const upgraded = Catalog.open(file);
    expect(upgraded.models.calibration(1).map((c) => [c.classId, c.thresholdSource])).toEqual([
      [1, 'training'],
      [2, 'supervisor'],
    ]);
    upgraded.close();
  });

  it('rolls a failing migration back completely and leaves the earlier version intact', () => {
    const db = new Database(':memory:');
    const broken: Migration[] = [
      { version: 1, name: 'one', sql: 'CREATE TABLE a (x INTEGER);' },
      { version: 2, name: 'two', sql: 'CREATE TABLE b (y INTEGER); INSERT INTO missing_table VALUES (1);' },
    ];
    expect(() => migrate(db, broken)).toThrow(/missing_table/);
    expect(schemaVersion(db)).toBe(1);
    expect(tables(db)).toContain('a');
    expect(tables(db)).not.toContain('b');
  });

  it('refuses a database written by a newer station', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS);
    db.prepare("INSERT INTO schema_migrations VALUES (?, 'from the future', '2030-01-01')").run(MIGRATIONS.length + 1);
    expect(() => migrate(db, MIGRATIONS)).toThrow(/newer than this station/);
  });

  it('refuses a migration list with gaps', () => {
    const db = new Database(':memory:');
    expect(() => migrate(db, [{ version: 2, name: 'x', sql: '' }])).toThrow(/out of order/);
  });
});
