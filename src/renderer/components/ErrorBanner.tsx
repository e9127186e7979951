import { useErrorReporter, useReportedErrors } from '../connection/ErrorReportContext';

/** Every failed call's message, plainly, until it is dismissed or the same call succeeds. */
export function ErrorBanner() {
  const errors = useReportedErrors();
  const { clearAll } = useErrorReporter();
  if (errors.length === 0) return null;
  return (
    <div className="error-banner" role="alert">
      {/* Only the messages carry the test id, so its text is exactly what the station said. */}
      <div className="error-banner__messages" data-testid="error-banner">
        {errors.map((error) => (
          <p key={error.source}>{error.message}</p>
        ))}
      </div>
      <button type="button" className="button button--quiet" onClick={clearAll}>
        Dismiss
      </button>
    </div>
  );
}
