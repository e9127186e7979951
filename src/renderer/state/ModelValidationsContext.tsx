import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import type { ModelValidation } from '../../shared/api/apiRecords';

export interface ModelValidations {
  /** The latest validation of each model on labelled defects, by version. */
  validations: Readonly<Record<string, ModelValidation>>;
  remember: (result: ModelValidation) => void;
}

const ModelValidationsContext = createContext<ModelValidations | null>(null);

/**
 * Lives above the screens: a validation takes a while, and its table and the threshold chart's
 * labelled-defect bars must still be there when the supervisor has looked at another screen (to add
 * defects from History, say) and comes back to set a threshold. Kept in the Retrain screen, they
 * were lost each time it was left.
 */
export function ModelValidationsProvider({ children }: { children: ReactNode }) {
  const [validations, setValidations] = useState<Readonly<Record<string, ModelValidation>>>({});
  const remember = useCallback((result: ModelValidation) => setValidations((current) => ({ ...current, [result.version]: result })), []);
  const value = useMemo(() => ({ validations, remember }), [validations, remember]);
  return <ModelValidationsContext.Provider value={value}>{children}</ModelValidationsContext.Provider>;
}

export function useModelValidations(): ModelValidations {
  const state = useContext(ModelValidationsContext);
  if (!state) throw new Error('useModelValidations is used outside ModelValidationsProvider');
  return state;
}
