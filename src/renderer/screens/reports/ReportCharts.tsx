import { Bar } from 'react-chartjs-2';
import type { ReportSummary } from '../../../shared/api/apiRecords';
import { CHART_COLOURS } from '../../lib/chartSetup';
import { defectRatePercent, paretoDatasets, paretoOf } from '../../lib/reportSeries';

const REASON_COLOURS = [CHART_COLOURS.fail, CHART_COLOURS.tail, CHART_COLOURS.primary];

/** The share of failed parts per day of the station, with the counts behind it on hover. */
function DefectRateChart({ days }: { days: ReportSummary['days'] }) {
  const rate = defectRatePercent(days);
  return (
    <div className="chart chart--medium" data-testid="defect-rate-chart" data-days={days.length}>
      <Bar
        data={{
          labels: days.map((d) => d.day),
          datasets: [{ label: 'failed, % of inspected', data: rate, backgroundColor: CHART_COLOURS.fail }],
        }}
        options={{
          maintainAspectRatio: false,
          responsive: true,
          plugins: {
            tooltip: {
              callbacks: {
                afterLabel: (item) => {
                  const day = days[item.dataIndex];
                  return day ? `${day.failed} of ${day.inspected} failed` : '';
                },
              },
            },
          },
          scales: { y: { beginAtZero: true, suggestedMax: 10, title: { display: true, text: '% failed' } } },
        }}
        aria-label="Defect rate per day"
      />
    </div>
  );
}

/** Failures per product, most first, split by reason, with the cumulative share as a line. */
function FailurePareto({ failures }: { failures: ReportSummary['failures'] }) {
  const pareto = paretoOf(failures);
  return (
    <div className="chart chart--medium" data-testid="failure-pareto" data-products={pareto.products.join(',')}>
      <Bar
        data={{
          labels: pareto.products,
          datasets: paretoDatasets(pareto, { reasons: REASON_COLOURS, line: CHART_COLOURS.pass }) as never,
        }}
        options={{
          maintainAspectRatio: false,
          responsive: true,
          interaction: { mode: 'index', intersect: false },
          scales: {
            x: { stacked: true },
            y: { stacked: true, beginAtZero: true, title: { display: true, text: 'failed parts' }, ticks: { precision: 0 } },
            cumulative: { position: 'right', min: 0, max: 100, grid: { drawOnChartArea: false }, title: { display: true, text: '%' } },
          },
        }}
        aria-label="Failures per product"
      />
    </div>
  );
}

/** What the filter's dates and product hold, at a glance: the defect rate over time and where the failures are. */
export function ReportCharts({ summary }: { summary: ReportSummary }) {
  if (summary.days.length === 0) return null;
  return (
    <div className="report-charts">
      <section>
        <h3>Defect rate per day</h3>
        <DefectRateChart days={summary.days} />
      </section>
      <section>
        <h3>Failures by product and reason</h3>
        {summary.failures.length === 0 ? (
          <p className="muted">No part failed in this range.</p>
        ) : (
          <FailurePareto failures={summary.failures} />
        )}
      </section>
    </div>
  );
}
