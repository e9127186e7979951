/** What is wrong with a report's date range, in words, or null: From after To matches nothing. */
export function dateRangeProblem(from: string | null, to: string | null): string | null {
  if (from && to && Date.parse(from) > Date.parse(to)) return 'From is after To: no inspection can match. Swap them, or clear one.';
  return null;
}
