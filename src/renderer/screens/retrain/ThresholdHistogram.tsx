import { useMemo, useRef } from 'react';
import { Bar } from 'react-chartjs-2';
import type { Chart, Plugin } from 'chart.js';
import { CHART_COLOURS } from '../../lib/chartSetup';
import { histogram } from '../../lib/histogram';
import { formatScore } from '../../lib/formatNumbers';

const BIN_COUNT = 24;

/**
 * Held-out good scores as a histogram; bins above the threshold (would be rejected) are red, and
 * a white line marks the threshold itself.
 */
export function ThresholdHistogram({ goodScores, threshold }: { goodScores: readonly number[]; threshold: number }) {
  const bins = histogram(goodScores, BIN_COUNT, threshold);
  const thresholdRef = useRef(threshold);
  thresholdRef.current = threshold;
  const binsRef = useRef(bins);
  binsRef.current = bins;

  // The category axis places bar i's centre at pixel(i); the threshold sits between those centres.
  const thresholdLine = useMemo<Plugin<'bar'>>(
    () => ({
      id: 'thresholdLine',
      afterDatasetsDraw(chart: Chart<'bar'>) {
        const { start, binWidth } = binsRef.current;
        const x = chart.scales.x;
        if (!x || binWidth <= 0) return;
        const position = (thresholdRef.current - start) / binWidth - 0.5;
        const left = x.getPixelForValue(0);
        const step = x.getPixelForValue(1) - left;
        const pixel = left + position * step;
        const { ctx, chartArea } = chart;
        ctx.save();
        ctx.strokeStyle = '#ffffff';
        ctx.lineWidth = 3;
        ctx.setLineDash([8, 6]);
        ctx.beginPath();
        ctx.moveTo(pixel, chartArea.top);
        ctx.lineTo(pixel, chartArea.bottom);
        ctx.stroke();
        ctx.restore();
      },
    }),
    [],
  );

  const data = {
    labels: bins.counts.map((_, i) => formatScore(bins.start + (i + 0.5) * bins.binWidth)),
    datasets: [
      {
        label: 'Good images',
        data: bins.counts,
        backgroundColor: bins.counts.map((_, i) =>
          bins.start + (i + 0.5) * bins.binWidth > threshold ? CHART_COLOURS.fail : CHART_COLOURS.pass,
        ),
        categoryPercentage: 1,
        barPercentage: 0.95,
      },
    ],
  };

  return (
    <div className="chart chart--medium" data-testid="threshold-histogram" data-threshold={threshold}>
      {goodScores.length === 0 ? (
        <p className="muted">This product has no held-out good scores (too few images): the threshold came from training images.</p>
      ) : (
        <Bar
          data={data}
          plugins={[thresholdLine]}
          options={{
            maintainAspectRatio: false,
            responsive: true,
            plugins: { legend: { display: false } },
            scales: {
              x: { title: { display: true, text: 'score' }, ticks: { maxTicksLimit: 8 } },
              y: { beginAtZero: true, ticks: { precision: 0 } },
            },
          }}
          aria-label="Good-image scores with the threshold"
        />
      )}
    </div>
  );
}
