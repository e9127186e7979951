import { useCallback, useEffect, useRef, useState, type DependencyList, type Dispatch, type SetStateAction } from 'react';
import type { StationClient } from '../../shared/api/stationApi';
import { useApiCall } from './useApiCall';

export interface ApiQuery<Result> {
  data: Result | undefined;
  pending: boolean;
  error: string | null;
  /** Loads again (after an action that changed the data, or on an event). */
  reload: () => Promise<void>;
  /** Replaces the data with what an action returned, without a round trip. */
  setData: Dispatch<SetStateAction<Result | undefined>>;
}

/**
 * Loads data when the component mounts and whenever `deps` change; skipped while `enabled` is false.
 * Answers that arrive after a newer request has started are dropped, so filters never show stale rows.
 */
export function useApiQuery<Result>(
  load: (client: StationClient) => Promise<Result>,
  deps: DependencyList,
  enabled = true,
): ApiQuery<Result> {
  const [data, setData] = useState<Result | undefined>(undefined);
  const call = useApiCall(load);
  const latestRequest = useRef(0);
  const run = call.run;

  const reload = useCallback(async () => {
    const request = ++latestRequest.current;
    const result = await run();
    if (request === latestRequest.current && result !== undefined) setData(result);
  }, [run]);

  useEffect(() => {
    if (enabled) void reload();
    // `deps` stand for what `load` reads; `load` itself is a new function every render.
  }, [enabled, reload, ...deps]);

  return { data, pending: call.pending, error: call.error, reload, setData };
}
