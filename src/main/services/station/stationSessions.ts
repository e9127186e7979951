import type { Session } from '../../../shared/api/apiRecords';

/** How long a supervisor stays unlocked without re-entering the PIN. */
export const SUPERVISOR_UNLOCK_MS = 15 * 60 * 1000;

interface ClientSession {
  operator: { id: number; name: string } | null;
  supervisor: { id: number; name: string; expiresAt: number } | null;
}

/** Per-connection sessions: each window or browser tab has its own operator and supervisor unlock. */
export class StationSessions {
  private readonly sessions = new Map<string, ClientSession>();

  constructor(private readonly now: () => number = Date.now) {}

  private get(clientId: string): ClientSession {
    let session = this.sessions.get(clientId);
    if (!session) {
      session = { operator: null, supervisor: null };
      this.sessions.set(clientId, session);
    }
    if (session.supervisor && session.supervisor.expiresAt <= this.now()) session.supervisor = null;
    return session;
  }

  describe(clientId: string): Session {
    const s = this.get(clientId);
    return {
      operator: s.operator?.name ?? null,
      supervisor: s.supervisor ? { name: s.supervisor.name, expiresAt: new Date(s.supervisor.expiresAt).toISOString() } : null,
    };
  }

  setOperator(clientId: string, operator: { id: number; name: string } | null): void {
    this.get(clientId).operator = operator;
  }

  unlock(clientId: string, supervisor: { id: number; name: string }): void {
    this.get(clientId).supervisor = { ...supervisor, expiresAt: this.now() + SUPERVISOR_UNLOCK_MS };
  }

  lock(clientId: string): void {
    this.get(clientId).supervisor = null;
  }

  /** The unlocked supervisor of this connection, if any (an unlock lasts SUPERVISOR_UNLOCK_MS from its PIN). */
  supervisor(clientId: string): { id: number; name: string } | null {
    return this.get(clientId).supervisor;
  }

  operator(clientId: string): { id: number; name: string } | null {
    return this.get(clientId).operator;
  }

  forget(clientId: string): void {
    this.sessions.delete(clientId);
  }
}
