/**
 * A datetime-local input value ("2025-03-01T14:30", local time, no zone) as the ISO instant the
 * API filters take; empty or unparsable input means "no bound".
 */
export function localInputToIso(value: string): string | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
