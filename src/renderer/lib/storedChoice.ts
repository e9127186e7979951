/** What a screen remembers across reloads needs only these of the browser's localStorage (tests pass a fake). */
export interface ChoiceStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** The remembered choice under `key` when it is still one of `choices`, else `fallback`; a storage that fails counts as empty. */
export function readChoice<T extends string>(storage: ChoiceStorage | null, key: string, choices: readonly T[], fallback: T): T {
  try {
    const stored = storage?.getItem(key);
    return choices.find((c) => c === stored) ?? fallback;
  } catch {
    return fallback;
  }
}

/** Remembers a choice; a storage that refuses (full, disabled) only means it is forgotten at the next reload. */
export function writeChoice(storage: ChoiceStorage | null, key: string, value: string): void {
  try {
    storage?.setItem(key, value);
  } catch {
    // Nothing to do: the choice still holds until the page reloads.
  }
}
