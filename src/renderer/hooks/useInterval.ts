import { useEffect, useRef } from 'react';

/** Calls `tick` every `seconds` while `seconds` is positive; 0 or null stops it. */
export function useInterval(tick: () => void, seconds: number | null): void {
  const tickRef = useRef(tick);
  tickRef.current = tick;
  useEffect(() => {
    if (seconds === null || !(seconds > 0)) return undefined;
    const timer = window.setInterval(() => tickRef.current(), seconds * 1000);
    return () => window.clearInterval(timer);
  }, [seconds]);
}
