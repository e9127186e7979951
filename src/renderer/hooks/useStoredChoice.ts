import { useCallback, useState } from 'react';
import { type ChoiceStorage, readChoice, writeChoice } from '../lib/storedChoice';

/** localStorage, where the page may use it (a sandboxed or private window may not). */
function browserStorage(): ChoiceStorage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** A choice of one of `choices` that this browser remembers across reloads (History's table or pictures). */
export function useStoredChoice<T extends string>(key: string, choices: readonly T[], fallback: T): [T, (value: T) => void] {
  const [value, setValue] = useState<T>(() => readChoice(browserStorage(), key, choices, fallback));
  const choose = useCallback(
    (next: T) => {
      setValue(next);
      writeChoice(browserStorage(), key, next);
    },
    [key],
  );
  return [value, choose];
}
