import { useEffect, useId, type ReactNode } from 'react';
import { useErrorReporter } from '../connection/ErrorReportContext';
import { ErrorScopeProvider } from '../connection/ErrorScopeContext';
import { ErrorBanner } from './ErrorBanner';

interface Props {
  children: ReactNode;
  /** Messages above the children (a panel's, under its title) rather than below them (beside a button). */
  messagesFirst?: boolean;
}

/**
 * A part of a screen that shows its own calls' failures in place, next to the controls that made
 * them, not at the top of a screen the operator may have scrolled away from. A call belongs to the
 * innermost scope around the component that makes it (its useApiCall), so a component that renders
 * a Panel keeps its calls in a child inside it.
 */
export function ErrorScope({ children, messagesFirst = false }: Props) {
  const scope = useId();
  const { clearScope } = useErrorReporter();
  // A part that closes (a History detail) takes its messages with it: nobody could see them any more.
  useEffect(() => () => clearScope(scope), [clearScope, scope]);
  return (
    <ErrorScopeProvider value={scope}>
      {messagesFirst && <ErrorBanner scope={scope} />}
      {children}
      {!messagesFirst && <ErrorBanner scope={scope} />}
    </ErrorScopeProvider>
  );
}
