import type Database from 'better-sqlite3';

export interface PinAttemptPolicy {
  /** This many wrong PINs within `windowMs` lock the name ... */
  maxFailures: number;
  windowMs: number;
  /** ... for this long, counted from the last of them. */
  lockMs: number;
}

/** Wrong-PIN counts and lockouts per name (existing or not, so that a lockout reveals nothing). */
export class PinAttemptRepository {
  constructor(private readonly db: Database.Database) {}

  /** Until when the name is locked, or null. */
  lockedUntil(name: string, now: number): number | null {
    const row = this.db.prepare('SELECT locked_until_ms AS until FROM pin_attempts WHERE name = ?').get(name) as
      | { until: number | null }
      | undefined;
    return row?.until && row.until > now ? row.until : null;
  }

  /** Records a wrong PIN; returns until when the name is now locked, or null. */
  recordFailure(name: string, now: number, policy: PinAttemptPolicy): number | null {
    return this.db.transaction(() => {
      // Counts whose window and lock are both over say nothing any more: made-up names do not pile up.
      this.db
        .prepare('DELETE FROM pin_attempts WHERE window_started_ms < ? AND (locked_until_ms IS NULL OR locked_until_ms < ?)')
        .run(now - policy.windowMs, now);
      const row = this.db.prepare('SELECT failures, window_started_ms AS started FROM pin_attempts WHERE name = ?').get(name) as
        | { failures: number; started: number }
        | undefined;
      const fresh = !row || now - row.started > policy.windowMs;
      const failures = fresh ? 1 : row.failures + 1;
      const locked = failures >= policy.maxFailures ? now + policy.lockMs : null;
      // A lock starts a new count: after it, another maxFailures wrong PINs are needed.
      this.db
        .prepare(
          `INSERT INTO pin_attempts (name, failures, window_started_ms, locked_until_ms) VALUES (@name, @failures, @started, @locked)
           ON CONFLICT(name) DO UPDATE SET failures = excluded.failures, window_started_ms = excluded.window_started_ms, locked_until_ms = excluded.locked_until_ms`,
        )
        .run({ name, failures: locked ? 0 : failures, started: fresh || locked ? now : (row as { started: number }).started, locked });
      return locked;
    })();
  }

  /** A right PIN clears the count. */
  clear(name: string): void {
    this.db.prepare('DELETE FROM pin_attempts WHERE name = ?').run(name);
  }
}
