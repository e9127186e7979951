import type Database from 'better-sqlite3';
import type { TrainingProgress, TrainingRun, TrainingRunStatus } from '../../../shared/catalogTypes';
import { fromJsonColumn, nowIso, toJsonColumn } from './jsonColumn';

interface RunRow {
  id: number;
  status: TrainingRunStatus;
  started_at: string | null;
  finished_at: string | null;
  config: string;
  progress: string | null;
  losses: string;
  error: string | null;
  started_by: number | null;
  model_version_id: number | null;
}

const toRun = (r: RunRow): TrainingRun => ({
  id: r.id,
  status: r.status,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  config: JSON.parse(r.config) as Record<string, unknown>,
  progress: fromJsonColumn<TrainingProgress>(r.progress),
  losses: JSON.parse(r.losses) as Record<string, number>[],
  error: r.error,
  startedBy: r.started_by,
  modelVersionId: r.model_version_id,
});

const FINISHED: readonly TrainingRunStatus[] = ['succeeded', 'failed', 'cancelled'];

/** Training runs: queued, running (with progress and a loss history), then finished one way or another. */
export class TrainingRunRepository {
  constructor(private readonly db: Database.Database) {}

  create(config: Record<string, unknown>, startedBy: number | null = null): TrainingRun {
    const info = this.db
      .prepare("INSERT INTO training_runs (status, created_at, config, started_by) VALUES ('queued', ?, ?, ?)")
      .run(nowIso(), JSON.stringify(config), startedBy);
    return this.get(Number(info.lastInsertRowid)) as TrainingRun;
  }

  get(id: number): TrainingRun | undefined {
    const row = this.db.prepare('SELECT * FROM training_runs WHERE id = ?').get(id) as RunRow | undefined;
    return row && toRun(row);
  }

  list(limit = 50): TrainingRun[] {
    return (this.db.prepare('SELECT * FROM training_runs ORDER BY id DESC LIMIT ?').all(limit) as RunRow[]).map(toRun);
  }

  /** Marks the run started by process `ownerPid` (this one unless told), which then sends heartbeats. */
  markRunning(id: number, ownerPid: number = process.pid): void {
    const now = nowIso();
    this.db
      .prepare(
        "UPDATE training_runs SET status = 'running', started_at = ?, owner_pid = ?, heartbeat_at = ? WHERE id = ? AND status = 'queued'",
      )
      .run(now, ownerPid, now, id);
  }

  heartbeat(id: number): void {
    this.db.prepare("UPDATE training_runs SET heartbeat_at = ? WHERE id = ? AND status = 'running'").run(nowIso(), id);
  }

  /** Records progress and, when given, appends one loss sample to the history. */
  reportProgress(id: number, progress: TrainingProgress, losses?: Record<string, number>): void {
    this.db.transaction(() => {
      this.db.prepare('UPDATE training_runs SET progress = ? WHERE id = ?').run(toJsonColumn(progress), id);
      if (losses)
        this.db
          .prepare("UPDATE training_runs SET losses = json_insert(losses, '$[#]', json(?)) WHERE id = ?")
          .run(JSON.stringify(losses), id);
    })();
  }

  finish(id: number, status: TrainingRunStatus, outcome: { error?: string; modelVersionId?: number } = {}): void {
    if (!FINISHED.includes(status)) throw new Error(`"${status}" is not a finished state`);
    this.db
      .prepare('UPDATE training_runs SET status = ?, finished_at = ?, error = ?, model_version_id = ? WHERE id = ?')
      .run(status, nowIso(), outcome.error ?? null, outcome.modelVersionId ?? null, id);
  }

  /**
   * Runs left 'queued' or 'running' by a process that died (or that stopped sending heartbeats for
   * `staleMs`): marked failed so nothing waits on them. A live process's run is left alone.
   */
  failInterrupted(isAlive: (pid: number) => boolean, staleMs: number, now = Date.now()): number {
    const open = this.db
      .prepare("SELECT id, owner_pid AS pid, heartbeat_at AS heartbeat FROM training_runs WHERE status IN ('queued', 'running')")
      .all() as { id: number; pid: number | null; heartbeat: string | null }[];
    const dead = open.filter((r) => r.pid === null || !isAlive(r.pid) || r.heartbeat === null || now - Date.parse(r.heartbeat) > staleMs);
    const fail = this.db.prepare(
      "UPDATE training_runs SET status = 'failed', finished_at = ?, error = 'interrupted: the process running it stopped during training' WHERE id = ? AND status IN ('queued', 'running')",
    );
    this.db.transaction(() => dead.forEach((r) => fail.run(nowIso(), r.id)))();
    return dead.length;
  }
}
