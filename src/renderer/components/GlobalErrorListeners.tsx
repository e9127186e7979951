import { useEffect } from 'react';
import { errorMessage } from '../lib/errorMessage';
import { useErrorReporter } from '../connection/ErrorReportContext';

/** Failures nobody caught (a rejected promise in an event handler) still reach the banner. */
export function GlobalErrorListeners() {
  const { report } = useErrorReporter();
  useEffect(() => {
    const onRejection = (event: PromiseRejectionEvent) => report('unhandled', errorMessage(event.reason));
    const onError = (event: ErrorEvent) => report('unhandled', event.message || errorMessage(event.error));
    window.addEventListener('unhandledrejection', onRejection);
    window.addEventListener('error', onError);
    return () => {
      window.removeEventListener('unhandledrejection', onRejection);
      window.removeEventListener('error', onError);
    };
  }, [report]);
  return null;
}
