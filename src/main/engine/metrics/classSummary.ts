/** One class's evaluation. null where a metric is undefined (e.g. no masks: no pixel AUROC). */
export interface ClassMetrics {
  nTrain: number;
  imageAuroc: number | null;
  pixelAuroc: number | null;
  aupro: number | null;
}

export interface MetricMeans {
  image: number | null;
  pixel: number | null;
  aupro: number | null;
}

export interface ClassSummary {
  avg: MetricMeans;
  high: MetricMeans;
  low: MetricMeans;
  highClasses: string[];
  lowClasses: string[];
}

function mean(values: (number | null)[]): number | null {
  const defined = values.filter((v): v is number => v !== null);
  return defined.length === 0 ? null : defined.reduce((a, b) => a + b, 0) / defined.length;
}

function means(classes: string[], perClass: Record<string, ClassMetrics>): MetricMeans {
  const rows = classes.map((c) => perClass[c] as ClassMetrics);
  return { image: mean(rows.map((r) => r.imageAuroc)), pixel: mean(rows.map((r) => r.pixelAuroc)), aupro: mean(rows.map((r) => r.aupro)) };
}

/**
 * Avg over all classes; High / Low over the half of classes with the most / fewest training images
 * (docs/method.md, Evaluation). With an odd class count the median class belongs to both halves.
 * Ties in training-set size are broken by class name so the split is deterministic.
 */
export function summariseClasses(perClass: Record<string, ClassMetrics>): ClassSummary {
  const names = Object.keys(perClass).sort(
    (a, b) => (perClass[b] as ClassMetrics).nTrain - (perClass[a] as ClassMetrics).nTrain || a.localeCompare(b),
  );
  const half = Math.ceil(names.length / 2);
  const highClasses = names.slice(0, half);
  const lowClasses = names.slice(names.length - half);
  return { avg: means(names, perClass), high: means(highClasses, perClass), low: means(lowClasses, perClass), highClasses, lowClasses };
}
