import type Database from 'better-sqlite3';

/** Station settings as JSON values by key; callers validate what they read (the schema lives in src/shared). */
export class SettingsRepository {
  constructor(private readonly db: Database.Database) {}

  all(): Record<string, unknown> {
    const rows = this.db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
    return Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]));
  }

  setMany(values: Record<string, unknown>): void {
    const upsert = this.db.prepare(
      `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    );
    const at = new Date().toISOString();
    this.db.transaction(() => {
      for (const [key, value] of Object.entries(values)) upsert.run(key, JSON.stringify(value ?? null), at);
    })();
  }
}
