import { labelComponents } from '../regions/connectedComponents';

export interface ScoredMask {
  /** Anomaly map, row-major, width x height. */
  scores: ArrayLike<number>;
  /** Ground truth, non-zero = defect; null for a good image. */
  mask: ArrayLike<number> | null;
  width: number;
  height: number;
}

/** A point of the per-region-overlap curve. */
export interface ProPoint {
  fpr: number;
  pro: number;
}

/**
 * The PRO curve of Bergmann et al. (MVTec AD): for each threshold, the false-positive rate over all
 * defect-free pixels against the mean, over ground-truth regions (4-connected components), of the
 * fraction of each region above the threshold. Thresholds are every distinct score, so the curve
 * is exact, ties included.
 */
export function proCurve(images: readonly ScoredMask[]): ProPoint[] {
  const normal: number[] = [];
  const defectScores: number[] = [];
  const defectWeights: number[] = []; // 1 / region size: each region counts equally
  let regionCount = 0;
  for (const image of images) {
    if (image.scores.length !== image.width * image.height) throw new Error('Anomaly map size does not match its width x height');
    const components = image.mask ? labelComponents(image.mask, image.width, image.height, 4) : null;
    for (let i = 0; i < image.scores.length; i++) {
      const label = components ? (components.labels[i] as number) : 0;
      if (label === 0) normal.push(image.scores[i] as number);
      else {
        defectScores.push(image.scores[i] as number);
        defectWeights.push(1 / (components?.sizes[label] as number));
      }
    }
    regionCount += components?.count ?? 0;
  }
  if (regionCount === 0 || normal.length === 0) throw new Error('AUPRO needs at least one defect region and some defect-free pixels');

  const normalDesc = Float64Array.from(normal).sort().reverse();
  const order = Array.from(defectScores.keys()).sort((a, b) => (defectScores[b] as number) - (defectScores[a] as number));
  const points: ProPoint[] = [{ fpr: 0, pro: 0 }];
  let n = 0;
  let d = 0;
  let overlap = 0;
  while (n < normalDesc.length || d < order.length) {
    const nextNormal = n < normalDesc.length ? (normalDesc[n] as number) : -Infinity;
    const nextDefect = d < order.length ? (defectScores[order[d] as number] as number) : -Infinity;
    const threshold = Math.max(nextNormal, nextDefect);
    while (n < normalDesc.length && normalDesc[n] === threshold) n++;
    while (d < order.length && defectScores[order[d] as number] === threshold) overlap += defectWeights[order[d++] as number] as number;
    points.push({ fpr: n / normalDesc.length, pro: overlap / regionCount });
  }
  return points;
}

/** Area under the PRO curve up to `fprLimit` (0.3 by convention), divided by the limit. */
export function aupro(images: readonly ScoredMask[], fprLimit = 0.3): number {
  if (!(fprLimit > 0 && fprLimit <= 1)) throw new Error('The FPR limit must be in (0, 1]');
  const points = proCurve(images);
  let area = 0;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1] as ProPoint;
    const b = points[i] as ProPoint;
    if (a.fpr >= fprLimit) break;
    if (b.fpr <= fprLimit) {
      area += ((b.fpr - a.fpr) * (a.pro + b.pro)) / 2;
    } else {
      const t = (fprLimit - a.fpr) / (b.fpr - a.fpr);
      const proAtLimit = a.pro + t * (b.pro - a.pro);
      area += ((fprLimit - a.fpr) * (a.pro + proAtLimit)) / 2;
    }
  }
  return area / fprLimit;
}
