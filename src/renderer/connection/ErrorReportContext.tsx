import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { type ReportedError, withReportedError } from '../lib/reportedErrors';

export interface ErrorReporter {
  /** `scope`: the ErrorScope that shows the message; none (or null) for the banner under the navigation. */
  report(source: string, message: string, scope?: string | null): void;
  clear(source: string): void;
  clearScope(scope: string | null): void;
  clearAll(): void;
}

// Two contexts: components that only report errors do not re-render when the list changes.
const ErrorListContext = createContext<readonly ReportedError[]>([]);
const ErrorReporterContext = createContext<ErrorReporter | null>(null);

export function ErrorReportProvider({ children }: { children: ReactNode }) {
  const [errors, setErrors] = useState<readonly ReportedError[]>([]);
  const report = useCallback((source: string, message: string, scope: string | null = null) => {
    setErrors((current) => withReportedError(current, { source, scope, message }));
  }, []);
  const clear = useCallback((source: string) => {
    setErrors((current) => (current.some((e) => e.source === source) ? current.filter((e) => e.source !== source) : current));
  }, []);
  const clearScope = useCallback((scope: string | null) => {
    setErrors((current) => (current.some((e) => e.scope === scope) ? current.filter((e) => e.scope !== scope) : current));
  }, []);
  const clearAll = useCallback(() => setErrors([]), []);
  const reporter = useMemo(() => ({ report, clear, clearScope, clearAll }), [report, clear, clearScope, clearAll]);
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
