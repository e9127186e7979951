import { useCallback, useId, useRef, useState } from 'react';
import type { StationClient } from '../../shared/api/stationApi';
import { errorMessage } from '../lib/errorMessage';
import { useErrorReporter } from '../connection/ErrorReportContext';
import { useErrorScope } from '../connection/ErrorScopeContext';
import { useStation } from '../connection/StationContext';

export interface ApiCall<Args extends unknown[], Result> {
  /** Runs the call; resolves with its result, or undefined when it failed (the error is reported). */
  run: (...args: Args) => Promise<Result | undefined>;
  pending: boolean;
  /** The last failure's message, cleared by the next success. */
  error: string | null;
}

/**
 * Calls the station with loading and error state. Failures are reported as the ApiError's message
 * to the ErrorScope the caller sits in (a panel: beside the control that made the call), else to the
 * banner under the navigation; a later success of the same call takes its message away.
 */
export function useApiCall<Args extends unknown[], Result>(
  action: (client: StationClient, ...args: Args) => Promise<Result>,
): ApiCall<Args, Result> {
  const { client } = useStation();
  const reporter = useErrorReporter();
  const source = useId();
  const scope = useErrorScope();
  const [pendingCount, setPendingCount] = useState(0);
  const [error, setError] = useState<string | null>(null);
  // The latest action, so that `run` keeps one identity while callers pass inline functions.
  const actionRef = useRef(action);
  actionRef.current = action;

  const run = useCallback(
    async (...args: Args): Promise<Result | undefined> => {
      setPendingCount((n) => n + 1);
      try {
        const result = await actionRef.current(client, ...args);
        setError(null);
        reporter.clear(source);
        return result;
      } catch (caught) {
        const message = errorMessage(caught);
        setError(message);
        reporter.report(source, message, scope);
        return undefined;
      } finally {
        setPendingCount((n) => n - 1);
      }
    },
    [client, reporter, source, scope],
  );

  return { run, pending: pendingCount > 0, error };
}
