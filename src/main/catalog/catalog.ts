import { mkdirSync } from 'node:fs';
import { makePrivate } from '../privateFiles';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrate, type MigrationResult } from './migrationRunner';
import { MIGRATIONS } from './migrations';
import { AuditLogRepository } from './repositories/auditLogRepository';
import { InspectionRepository } from './repositories/inspectionRepository';
import { ModelVersionRepository } from './repositories/modelVersionRepository';
import { ProductClassRepository } from './repositories/productClassRepository';
import { PinAttemptRepository } from './repositories/pinAttemptRepository';
import { SettingsRepository } from './repositories/settingsRepository';
import { SampleImageRepository } from './repositories/sampleImageRepository';
import { TrainingRunRepository } from './repositories/trainingRunRepository';
import { UserRepository } from './repositories/userRepository';

/** The station's catalogue: one SQLite file, the only place that writes SQL. */
export class Catalog {
  readonly classes: ProductClassRepository;
  readonly samples: SampleImageRepository;
  readonly users: UserRepository;
  readonly audit: AuditLogRepository;
  readonly models: ModelVersionRepository;
  readonly trainingRuns: TrainingRunRepository;
  readonly inspections: InspectionRepository;
  readonly settings: SettingsRepository;
  readonly pinAttempts: PinAttemptRepository;

  private constructor(
    readonly db: Database.Database,
    readonly migration: MigrationResult,
  ) {
    this.classes = new ProductClassRepository(db);
    this.samples = new SampleImageRepository(db);
    this.users = new UserRepository(db);
    this.audit = new AuditLogRepository(db);
    this.models = new ModelVersionRepository(db);
    this.trainingRuns = new TrainingRunRepository(db);
    this.inspections = new InspectionRepository(db);
    this.settings = new SettingsRepository(db);
    this.pinAttempts = new PinAttemptRepository(db);
  }

  /** Opens (creating if needed) and upgrades the catalogue; ':memory:' for tests. */
  static open(file: string): Catalog {
    if (file !== ':memory:') {
      mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      makePrivate(path.dirname(file), 'folder');
    }
    const db = new Database(file);
    try {
      // SQLite gives the -wal and -shm files the main file's mode.
      if (file !== ':memory:') makePrivate(file, 'file');
      db.pragma('journal_mode = WAL');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000');
      db.pragma('synchronous = NORMAL');
      return new Catalog(db, migrate(db, MIGRATIONS));
    } catch (error) {
      db.close();
      throw error;
    }
  }

  close(): void {
    this.db.close();
  }
}
