import { useMemo, useRef } from 'react';
import type { Plugin } from 'chart.js';
import { Line } from 'react-chartjs-2';
import type { TrainingStatus } from '../../../shared/api/apiRecords';
import { CHART_COLOURS } from '../../lib/chartSetup';
import { PHASE_LABELS } from '../../lib/trainingPhases';

type LossPoint = TrainingStatus['losses'][number];

/** Where each phase begins among the points (runs restored after a restart do not know). */
export function phaseStarts(points: readonly LossPoint[]): { index: number; label: string }[] {
  return points.flatMap((p, i) =>
    p.phase !== null && (i === 0 || points[i - 1]?.phase !== p.phase) ? [{ index: i, label: PHASE_LABELS[p.phase] }] : [],
  );
}

/**
 * Draws a dashed line where each phase begins, with its name beside it. The chart keeps the plugin
 * it was created with, so the marks are read from `starts` at every draw (live runs add phase 2).
 */
function phaseMarks(startsRef: { current: readonly { index: number; label: string }[] }): Plugin<'line'> {
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
      for (const { index, label } of startsRef.current) {
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
  const startsRef = useRef(starts);
  startsRef.current = starts;
  const marks = useMemo(() => phaseMarks(startsRef), []);
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
          plugins={[marks]}
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
