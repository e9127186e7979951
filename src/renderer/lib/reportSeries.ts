import type { ReportSummary } from '../../shared/api/apiRecords';

export type FailureReason = ReportSummary['failures'][number]['reason'];

/** The reasons in the order the Pareto stacks them, with the words people read. */
export const FAILURE_REASONS: readonly { reason: FailureReason; label: string }[] = [
  { reason: 'defect', label: 'defect found' },
  { reason: 'wrong-product', label: 'does not look like the product' },
  { reason: 'false-reject', label: 'reviewed as a false reject' },
];

/** The share of failed parts per day, in percent (days without inspections are not in the summary). */
export function defectRatePercent(days: ReportSummary['days']): number[] {
  return days.map((d) => (d.inspected === 0 ? 0 : (100 * d.failed) / d.inspected));
}

export interface Pareto {
  /** Products, most failures first (ties by name). */
  products: string[];
  /** Per reason, the failures of each product in `products` order. */
  byReason: Record<FailureReason, number[]>;
  /** The running share of all failures up to and including each product, in percent. */
  cumulativePercent: number[];
}

/** Failures by product, largest first, split by reason, with the cumulative share a Pareto chart draws. */
export function paretoOf(failures: ReportSummary['failures']): Pareto {
  const totals = new Map<string, number>();
  for (const f of failures) totals.set(f.product, (totals.get(f.product) ?? 0) + f.failed);
  const products = [...totals.keys()].sort((a, b) => (totals.get(b) as number) - (totals.get(a) as number) || a.localeCompare(b));
  const byReason = Object.fromEntries(
    FAILURE_REASONS.map(({ reason }) => [
      reason,
      products.map((p) => failures.filter((f) => f.product === p && f.reason === reason).reduce((n, f) => n + f.failed, 0)),
    ]),
  ) as Record<FailureReason, number[]>;
  const all = [...totals.values()].reduce((a, b) => a + b, 0);
  let running = 0;
  const cumulativePercent = products.map((p) => {
    running += totals.get(p) as number;
    return all === 0 ? 0 : (100 * running) / all;
  });
  return { products, byReason, cumulativePercent };
}

/**
 * Chart.js draws datasets of a lower `order` over those of a higher one (and, at equal order, the
 * first over the later): the cumulative line gets the lower order, or the bars hide where it starts.
 */
const PARETO_ORDER = { line: 0, bars: 1 } as const;

/** The Pareto's datasets: failures by reason as stacked bars, and the cumulative share as a line over them. */
export function paretoDatasets(pareto: Pareto, colours: { reasons: readonly string[]; line: string }) {
  return [
    ...FAILURE_REASONS.map(({ reason, label }, i) => ({
      type: 'bar' as const,
      label,
      data: pareto.byReason[reason],
      backgroundColor: colours.reasons[i % colours.reasons.length],
      stack: 'failures',
      order: PARETO_ORDER.bars,
    })),
    {
      type: 'line' as const,
      label: 'cumulative %',
      data: pareto.cumulativePercent,
      borderColor: colours.line,
      backgroundColor: colours.line,
      borderWidth: 3,
      // Marked points, so that even a one-product Pareto shows where its line is.
      pointRadius: 5,
      pointBorderColor: '#000000',
      yAxisID: 'cumulative',
      order: PARETO_ORDER.line,
      // Not cut at the chart's edge: the last point sits at 100%, on the top of the plot area.
      clip: false,
    },
  ];
}
