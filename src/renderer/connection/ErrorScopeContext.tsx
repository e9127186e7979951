import { createContext, useContext } from 'react';

/** The ErrorScope a component sits in (its id), or null outside every scope. */
const ErrorScopeContext = createContext<string | null>(null);

export const ErrorScopeProvider = ErrorScopeContext.Provider;

export function useErrorScope(): string | null {
  return useContext(ErrorScopeContext);
}
