import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import type { InspectionResult } from '../../shared/api/apiRecords';
import type { EventPayload } from '../../shared/api/stationEvents';
import { useStationEvent } from '../hooks/useStationEvent';

export type RejectedFile = EventPayload<'hotFolder.rejected'> & { at: string };

/** An image this window asked to inspect that was not inspected: refused by the station, or by this window before sending. */
export interface InspectionRefusal {
  fileName: string;
  /** The reason, in words for people (it may start with the file's name). */
  reason: string;
  at: string;
}

export interface InspectionFeed {
  /** The newest result from any source (camera, files, hot folder, another window). */
  latest: InspectionResult | null;
  /** Set when the newest thing to happen was a refusal: the last result is then no longer what is on the line. */
  refusal: InspectionRefusal | null;
  refuse: (fileName: string, reason: string) => void;
  recent: readonly InspectionResult[];
  rejectedFiles: readonly RejectedFile[];
  /** Adds a result this window obtained itself (the same result may also arrive as an event). */
  publish: (result: InspectionResult) => void;
}

const RECENT_LIMIT = 12;
const REJECTED_LIMIT = 50;
const InspectionFeedContext = createContext<InspectionFeed | null>(null);

/**
 * Lives above the screens so that results and hot-folder rejections keep arriving while the
 * operator looks at another screen, and are there when they come back to Inspect.
 */
export function InspectionFeedProvider({ children }: { children: ReactNode }) {
  const [recent, setRecent] = useState<readonly InspectionResult[]>([]);
  const [rejectedFiles, setRejectedFiles] = useState<readonly RejectedFile[]>([]);
  const [refusal, setRefusal] = useState<InspectionRefusal | null>(null);
  const refuse = useCallback((fileName: string, reason: string) => setRefusal({ fileName, reason, at: new Date().toISOString() }), []);

  const publish = useCallback((result: InspectionResult) => {
    setRefusal(null); // a newer result
    // The event for a result this window asked for can arrive before or after the call's answer,
    // and results from several sources interleave: keep one copy of each, newest id first.
    setRecent((current) => [result, ...current.filter((r) => r.id !== result.id)].sort((a, b) => b.id - a.id).slice(0, RECENT_LIMIT));
  }, []);

  useStationEvent('inspection', publish);
  useStationEvent('hotFolder.rejected', (rejected) => {
    // Listed on their own, not in the result's place: a stray file in the folder is not the part on the line.
    setRejectedFiles((current) => [{ ...rejected, at: new Date().toISOString() }, ...current].slice(0, REJECTED_LIMIT));
  });

  const value = useMemo(
    () => ({ latest: recent[0] ?? null, refusal, refuse, recent, rejectedFiles, publish }),
    [recent, refusal, refuse, rejectedFiles, publish],
  );
  return <InspectionFeedContext.Provider value={value}>{children}</InspectionFeedContext.Provider>;
}

export function useInspectionFeed(): InspectionFeed {
  const feed = useContext(InspectionFeedContext);
  if (!feed) throw new Error('useInspectionFeed is used outside InspectionFeedProvider');
  return feed;
}
