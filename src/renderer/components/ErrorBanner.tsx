import { useErrorReporter, useReportedErrors } from '../connection/ErrorReportContext';
import { errorsInScope } from '../lib/reportedErrors';

/**
 * Failed calls' messages, plainly, until they are dismissed or the same call succeeds: those of one
 * ErrorScope where it is placed, or (no scope) those made outside every scope, under the navigation.
 */
export function ErrorBanner({ scope = null }: { scope?: string | null }) {
  const errors = errorsInScope(useReportedErrors(), scope);
  const { clearScope } = useErrorReporter();
  if (errors.length === 0) return null;
  return (
    <div className={`error-banner${scope === null ? '' : ' error-banner--in-place'}`} role="alert">
      {/* Only the messages carry the test id, so its text is exactly what the station said. */}
      <div className="error-banner__messages" data-testid="error-banner">
        {errors.map((error) => (
          <p key={error.source}>{error.message}</p>
        ))}
      </div>
      <button type="button" className="button button--quiet" onClick={() => clearScope(scope)}>
        Dismiss
      </button>
    </div>
  );
}
