import type Database from 'better-sqlite3';
import type { AuditEntry } from '../../../shared/catalogTypes';
import { fromJsonColumn, nowIso, toJsonColumn } from './jsonColumn';

interface AuditRow {
  id: number;
  at: string;
  user_id: number | null;
  actor: string;
  action: string;
  target: string | null;
  details: string | null;
}

export interface AuditQuery {
  from?: string;
  to?: string;
  action?: string;
  limit?: number;
  offset?: number;
}

/** Who did what and when. Append-only: nothing here updates or deletes an entry. */
export class AuditLogRepository {
  constructor(private readonly db: Database.Database) {}

  record(entry: {
    userId?: number | null;
    actor: string;
    action: string;
    target?: string | null;
    details?: Record<string, unknown> | null;
  }): AuditEntry {
    const at = nowIso();
    const info = this.db
      .prepare('INSERT INTO audit_log (at, user_id, actor, action, target, details) VALUES (?, ?, ?, ?, ?, ?)')
      .run(at, entry.userId ?? null, entry.actor, entry.action, entry.target ?? null, toJsonColumn(entry.details ?? null));
    return {
      id: Number(info.lastInsertRowid),
      at,
      userId: entry.userId ?? null,
      actor: entry.actor,
      action: entry.action,
      target: entry.target ?? null,
      details: entry.details ?? null,
    };
  }

  /** Newest first. */
  list(query: AuditQuery = {}): AuditEntry[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM audit_log
         WHERE (@from IS NULL OR at >= @from) AND (@to IS NULL OR at < @to) AND (@action IS NULL OR action = @action)
         ORDER BY id DESC LIMIT @limit OFFSET @offset`,
      )
      .all({
        from: query.from ?? null,
        to: query.to ?? null,
        action: query.action ?? null,
        limit: query.limit ?? 100,
        offset: query.offset ?? 0,
      }) as AuditRow[];
    return rows.map((r) => ({
      id: r.id,
      at: r.at,
      userId: r.user_id,
      actor: r.actor,
      action: r.action,
      target: r.target,
      details: fromJsonColumn<Record<string, unknown>>(r.details),
    }));
  }
}
