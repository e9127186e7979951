import { useEffect, useRef } from 'react';

/**
 * Space anywhere on the screen (except while typing in a field) calls `onSpace`. The key's default
 * is cancelled so a focused button is not pressed as well.
 */
export function useSpaceKey(onSpace: () => void, enabled: boolean): void {
  const handlerRef = useRef(onSpace);
  handlerRef.current = onSpace;
  useEffect(() => {
    if (!enabled) return undefined;
    const isSpace = (event: KeyboardEvent) => event.code === 'Space' || event.key === ' ';
    const onKeyDown = (event: KeyboardEvent) => {
      if (!isSpace(event) || isTypingTarget(event.target) || event.altKey || event.ctrlKey || event.metaKey) return;
      event.preventDefault();
      if (!event.repeat) handlerRef.current();
    };
    // Buttons click on Space *release*: cancel that too.
    const onKeyUp = (event: KeyboardEvent) => {
      if (isSpace(event) && !isTypingTarget(event.target)) event.preventDefault();
    };
    window.addEventListener('keydown', onKeyDown, true);
    window.addEventListener('keyup', onKeyUp, true);
    return () => {
      window.removeEventListener('keydown', onKeyDown, true);
      window.removeEventListener('keyup', onKeyUp, true);
    };
  }, [enabled]);
}

function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) return !['button', 'submit', 'checkbox', 'radio', 'range', 'file'].includes(target.type);
  return false;
}
