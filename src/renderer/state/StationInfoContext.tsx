import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Session, StationInfo } from '../../shared/api/apiRecords';
import { useApiCall } from '../hooks/useApiCall';
import { useInterval } from '../hooks/useInterval';

export interface StationInfoState {
  info: StationInfo | null;
  session: Session;
  /** The unlocked supervisor's name, or null when supervisor actions need a PIN. */
  supervisor: string | null;
  refresh: () => Promise<void>;
  /** Session calls return the new session: apply it without waiting for a refresh. */
  applySession: (session: Session) => void;
}

const NO_SESSION: Session = { operator: null, supervisor: null };
const StationInfoContext = createContext<StationInfoState | null>(null);

/** Re-reads station.info this often, so the header follows changes made from other windows. */
const REFRESH_SECONDS = 30;

export function StationInfoProvider({ children }: { children: ReactNode }) {
  const [info, setInfo] = useState<StationInfo | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const load = useApiCall((client) => client['station.info']({}));
  const run = load.run;

  const refresh = useCallback(async () => {
    const next = await run();
    if (next) setInfo(next);
    setNow(Date.now());
  }, [run]);

  useEffect(() => {
    void refresh();
  }, [refresh]);
  useInterval(() => void refresh(), REFRESH_SECONDS);

  const applySession = useCallback((session: Session) => {
    setInfo((current) => (current ? { ...current, session } : current));
    setNow(Date.now());
  }, []);

  const session = info?.session ?? NO_SESSION;
  // The server ends the supervisor session at expiresAt; stop offering supervisor actions then too.
  const supervisorSession = session.supervisor;
  const expiresAt = supervisorSession ? Date.parse(supervisorSession.expiresAt) : NaN;
  const supervisor = supervisorSession && !(expiresAt <= now) ? supervisorSession.name : null;
  useEffect(() => {
    if (!Number.isFinite(expiresAt)) return undefined;
    const wait = expiresAt - Date.now();
    if (wait <= 0) return undefined;
    const timer = window.setTimeout(() => setNow(Date.now()), Math.min(wait + 500, 2_147_000_000));
    return () => window.clearTimeout(timer);
  }, [expiresAt]);

  const value = useMemo(() => ({ info, session, supervisor, refresh, applySession }), [info, session, supervisor, refresh, applySession]);
  return <StationInfoContext.Provider value={value}>{children}</StationInfoContext.Provider>;
}

export function useStationInfo(): StationInfoState {
  const state = useContext(StationInfoContext);
  if (!state) throw new Error('useStationInfo is used outside StationInfoProvider');
  return state;
}
