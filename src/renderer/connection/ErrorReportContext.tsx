import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

export interface ReportedError {
  /** Who reported it: a later success from the same place clears it. */
  source: string;
  message: string;
}

export interface ErrorReporter {
  report(source: string, message: string): void;
  clear(source: string): void;
  clearAll(): void;
}

// Two contexts: components that only report errors do not re-render when the list changes.
const ErrorListContext = createContext<readonly ReportedError[]>([]);
const ErrorReporterContext = createContext<ErrorReporter | null>(null);

/** At most this many messages stay on screen; older ones are dropped. */
const MAX_ERRORS = 4;

export function ErrorReportProvider({ children }: { children: ReactNode }) {
  const [errors, setErrors] = useState<readonly ReportedError[]>([]);
  const report = useCallback((source: string, message: string) => {
    setErrors((current) => [...current.filter((e) => e.source !== source), { source, message }].slice(-MAX_ERRORS));
  }, []);
  const clear = useCallback((source: string) => {
    setErrors((current) => (current.some((e) => e.source === source) ? current.filter((e) => e.source !== source) : current));
  }, []);
  const clearAll = useCallback(() => setErrors([]), []);
  const reporter = useMemo(() => ({ report, clear, clearAll }), [report, clear, clearAll]);
  return (
    <ErrorReporterContext.Provider value={reporter}>
      <ErrorListContext.Provider value={errors}>{children}</ErrorListContext.Provider>
    </ErrorReporterContext.Provider>
  );
}

export function useErrorReporter(): ErrorReporter {
  const reporter = useContext(ErrorReporterContext);
  if (!reporter) throw new Error('useErrorReporter is used outside ErrorReportProvider');
  return reporter;
}

export function useReportedErrors(): readonly ReportedError[] {
  return useContext(ErrorListContext);
}
