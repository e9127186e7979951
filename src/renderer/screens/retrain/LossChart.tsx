import type { Plugin } from 'chart.js';
import { Line } from 'react-chartjs-2';
import type { TrainingStatus } from '../../../shared/api/apiRecords';
import { CHART_COLOURS } from '../../lib/chartSetup';

type LossPoint = TrainingStatus['losses'][number];

/** What each phase learns, in the words the chart marks it with. */
const PHASE_LABELS: Record<NonNullable<LossPoint['phase']>, string> = {
  phase1: 'phase 1: product names',
  phase2: 'phase 2: defects',
};

/** Where each phase begins among the points (runs restored after a restart do not know). */
export function phaseStarts(points: readonly LossPoint[]): { index: number; label: string }[] {
  return points.flatMap((p, i) =>
    p.phase !== null && (i === 0 || points[i - 1]?.phase !== p.phase) ? [{ index: i, label: PHASE_LABELS[p.phase] }] : [],
  );
}

/** Draws a dashed line where each phase begins, with its name beside it. */
function phaseMarks(starts: readonly { index: number; label: string }[]): Plugin<'line'> {
  return {
    id: 'phaseMarks',
    afterDatasetsDraw(chart) {
      const { ctx, chartArea, scales } = chart;
      const x = scales.x;
      if (!x) return;
      ctx.save();
      ctx.strokeStyle = 'rgba(232, 236, 241, 0.6)';
      ctx.fillStyle = 'rgba(232, 236, 241, 0.9)';
      ctx.setLineDash([6, 4]);
      ctx.font = '14px sans-serif';
      for (const { index, label } of starts) {
        const at = x.getPixelForValue(index);
        if (index > 0) {
          ctx.beginPath();
          ctx.moveTo(at, chartArea.top);
          ctx.lineTo(at, chartArea.bottom);
          ctx.stroke();
        }
        ctx.fillText(label, at + 6, chartArea.top + 16);
      }
      ctx.restore();
    },
  };
}

/** One line per loss term (total, rec, sem, kl…) against the training step, each phase marked where it begins. */
export function LossChart({ losses }: { losses: TrainingStatus['losses'] }) {
  const terms = [...new Set(losses.flatMap((point) => Object.keys(point.values)))];
  const starts = phaseStarts(losses);
  const data = {
    labels: losses.map((point) => String(point.step)),
    datasets: terms.map((term, index) => ({
      label: term,
      data: losses.map((point) => point.values[term] ?? null),
      borderColor: CHART_COLOURS.series[index % CHART_COLOURS.series.length],
      backgroundColor: CHART_COLOURS.series[index % CHART_COLOURS.series.length],
      pointRadius: 0,
      borderWidth: 2,
      spanGaps: true,
    })),
  };
  return (
    <div className="chart chart--medium" data-testid="loss-chart" data-phases={starts.map((s) => s.label).join('|')}>
      {losses.length === 0 ? (
        <p className="muted">Losses appear here once training reports progress.</p>
      ) : (
        <Line
          data={data}
          plugins={[phaseMarks(starts)]}
          options={{
            maintainAspectRatio: false,
            responsive: true,
            interaction: { mode: 'index', intersect: false },
            scales: {
              x: { title: { display: true, text: 'training step' }, ticks: { maxTicksLimit: 8, maxRotation: 0 } },
              y: { title: { display: true, text: 'loss' } },
            },
          }}
          aria-label="Training losses"
        />
      )}
    </div>
  );
}
