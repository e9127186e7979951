import { Line } from 'react-chartjs-2';
import type { TrainingStatus } from '../../../shared/api/apiRecords';
import { CHART_COLOURS } from '../../lib/chartSetup';

/** Long runs send thousands of progress events; a few hundred points draw the same curve. */
const MAX_POINTS = 400;

/** One line per loss term (total, rec, sem, kl…) over the progress events. */
export function LossChart({ losses }: { losses: TrainingStatus['losses'] }) {
  const stride = Math.max(1, Math.ceil(losses.length / MAX_POINTS));
  const sampled = losses.filter((_, index) => index % stride === 0 || index === losses.length - 1);
  const terms = [...new Set(sampled.flatMap((record) => Object.keys(record)))];
  const data = {
    labels: sampled.map((_, index) => String(Math.min(losses.length, index * stride + 1))),
    datasets: terms.map((term, index) => ({
      label: term,
      data: sampled.map((record) => record[term] ?? null),
      borderColor: CHART_COLOURS.series[index % CHART_COLOURS.series.length],
      backgroundColor: CHART_COLOURS.series[index % CHART_COLOURS.series.length],
      pointRadius: 0,
      borderWidth: 2,
      spanGaps: true,
    })),
  };
  return (
    <div className="chart chart--medium" data-testid="loss-chart">
      {losses.length === 0 ? (
        <p className="muted">Losses appear here once training reports progress.</p>
      ) : (
        <Line
          data={data}
          options={{
            maintainAspectRatio: false,
            responsive: true,
            interaction: { mode: 'index', intersect: false },
            scales: { x: { title: { display: true, text: 'progress report' }, ticks: { maxTicksLimit: 10 } } },
          }}
          aria-label="Training losses"
        />
      )}
    </div>
  );
}
