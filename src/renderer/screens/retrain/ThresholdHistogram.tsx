import { useMemo, useRef } from 'react';
import { Bar } from 'react-chartjs-2';
import type { Chart, Plugin } from 'chart.js';
import type { ModelSummary } from '../../../shared/api/apiRecords';
import { CHART_COLOURS } from '../../lib/chartSetup';
import { histogramOver } from '../../lib/histogram';
import { formatScore } from '../../lib/formatNumbers';

const BIN_COUNT = 24;

type DefectScore = ModelSummary['classes'][number]['defectScores'][number];

interface Props {
  goodScores: readonly number[];
  defectScores: readonly DefectScore[];
  /** Scores of the product's labelled defects from the model's last validation. */
  validationScores?: readonly number[];
  threshold: number;
  /** The chart's fixed span (thresholdRange): the threshold line moves across it. */
  range: { min: number; max: number };
}

/**
 * Held-out good scores as a histogram over a fixed span; bins above the threshold (would be
 * rejected) are red, and a white line marks the threshold itself. Defective parts the model has
 * seen stand beside them: reviewed false accepts and failed parts.
 */
export function ThresholdHistogram({ goodScores, defectScores, validationScores = [], threshold, range }: Props) {
  const bins = histogramOver(goodScores, BIN_COUNT, range.min, range.max);
  const falseAccepts = histogramOver(
    defectScores.filter((d) => d.kind === 'false-accept').map((d) => d.score),
    BIN_COUNT,
    range.min,
    range.max,
  );
  const failed = histogramOver(
    defectScores.filter((d) => d.kind === 'failed').map((d) => d.score),
    BIN_COUNT,
    range.min,
    range.max,
  );
  const validation = histogramOver(validationScores, BIN_COUNT, range.min, range.max);
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

  const centre = (i: number) => bins.start + (i + 0.5) * bins.binWidth;
  const data = {
    labels: bins.counts.map((_, i) => formatScore(centre(i))),
    datasets: [
      {
        label: 'good images',
        data: bins.counts,
        // Red only where the whole bin lies above the threshold: those good parts would all fail.
        backgroundColor: bins.counts.map((_, i) => (bins.start + i * bins.binWidth >= threshold ? CHART_COLOURS.fail : CHART_COLOURS.pass)),
        categoryPercentage: 1,
        barPercentage: 0.95,
        stack: 'parts',
      },
      ...(defectScores.length > 0
        ? [
            {
              label: 'failed parts',
              data: failed.counts,
              backgroundColor: CHART_COLOURS.tail,
              categoryPercentage: 1,
              barPercentage: 0.95,
              stack: 'parts',
            },
            {
              label: 'false accepts (reviewed)',
              data: falseAccepts.counts,
              backgroundColor: CHART_COLOURS.series[4],
              categoryPercentage: 1,
              barPercentage: 0.95,
              stack: 'parts',
            },
          ]
        : []),
      ...(validationScores.length > 0
        ? [
            {
              label: 'labelled defects (validation)',
              data: validation.counts,
              backgroundColor: CHART_COLOURS.series[5],
              categoryPercentage: 1,
              barPercentage: 0.95,
              stack: 'parts',
            },
          ]
        : []),
    ],
  };

  return (
    <div
      className="chart chart--medium"
      data-testid="threshold-histogram"
      data-threshold={threshold}
      data-range={`${range.min},${range.max}`}
      data-defects={defectScores.length}
      data-validation-defects={validationScores.length}
    >
      {goodScores.length === 0 && defectScores.length === 0 && validationScores.length === 0 ? (
        <p className="muted">This product has no held-out good scores (too few images): the threshold came from training images.</p>
      ) : (
        <Bar
          data={data}
          plugins={[thresholdLine]}
          options={{
            maintainAspectRatio: false,
            responsive: true,
            plugins: { legend: { display: defectScores.length + validationScores.length > 0 } },
            scales: {
              x: { stacked: true, title: { display: true, text: 'raw score' }, ticks: { maxTicksLimit: 8 } },
              y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
            },
          }}
          aria-label="Good-image scores with the threshold"
        />
      )}
    </div>
  );
}
