import type { TrainingStatus } from '../../../shared/api/apiRecords';

export type LossPoint = TrainingStatus['losses'][number];

/** Loss history kept for the live chart: enough points for a smooth line, bounded memory. */
export const MAX_LOSS_POINTS = 400;

/**
 * The history with one more point. Past `max`, every other point is dropped (the newest kept), so
 * the chart keeps the whole run, both phases, at a coarser step instead of losing its start.
 */
export function appendLossPoint(points: readonly LossPoint[], point: LossPoint, max = MAX_LOSS_POINTS): LossPoint[] {
  const kept = points.length < max ? points : points.filter((_, i) => i % 2 === 1);
  return [...kept, point];
}

/** A run's recorded losses (one record per step, in order) as chart points; which phase each was is not recorded. */
export function recordedLossPoints(losses: readonly Record<string, number>[], max = MAX_LOSS_POINTS): LossPoint[] {
  const stride = Math.max(1, Math.ceil(losses.length / max));
  return losses.flatMap((values, i) =>
    i % stride === stride - 1 || i === losses.length - 1 ? [{ phase: null, step: i + 1, values }] : [],
  );
}
