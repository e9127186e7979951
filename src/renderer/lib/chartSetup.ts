import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';

// Register only what the station's charts use, so the bundle stays small.
// Both controllers: the Pareto draws a line (its cumulative share) over bars.
Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Tooltip, Legend);

// Readable on the dark theme from a distance; no animation, so charts never lag the numbers.
Chart.defaults.color = '#e8ecf1';
Chart.defaults.borderColor = 'rgba(232, 236, 241, 0.15)';
Chart.defaults.font.size = 16;
Chart.defaults.animation = false;

export const CHART_COLOURS = {
  primary: '#4ea8ff',
  tail: '#ffb020',
  pass: '#2ecc71',
  fail: '#ff5c5c',
  series: ['#4ea8ff', '#ffb020', '#2ecc71', '#ff5c5c', '#c58bff', '#4dd8d0', '#f78fb3', '#c9d36a'],
} as const;
