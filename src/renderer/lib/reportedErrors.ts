export interface ReportedError {
  /** Who reported it: a later success from the same place clears it. */
  source: string;
  /** The part of the screen that shows it (components/ErrorScope.tsx), or null for the banner under the navigation. */
  scope: string | null;
  message: string;
}

/** At most this many messages stay on screen; older ones are dropped. */
export const MAX_ERRORS = 4;

/** The list with `error` added last, in place of an earlier message from the same source. */
export function withReportedError(errors: readonly ReportedError[], error: ReportedError): ReportedError[] {
  return [...errors.filter((e) => e.source !== error.source), error].slice(-MAX_ERRORS);
}

/** The messages one part of the screen shows: those its own calls reported. */
export function errorsInScope(errors: readonly ReportedError[], scope: string | null): ReportedError[] {
  return errors.filter((e) => e.scope === scope);
}
