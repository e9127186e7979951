import type { ClassCalibrationRecord } from '../ltad/ltadModel';
import { thresholdForFalseRejectRate } from '../scoring/thresholds';

/** The false-reject rate a threshold aims at when the request names none (the station's default setting). */
export const DEFAULT_TARGET_FALSE_REJECT_RATE = 0.02;

/** Fewer held-out good images than this cannot estimate a false-reject quantile on their own. */
export const MIN_HELD_OUT_FOR_QUANTILE = 10;

/** Share of the good scores' spread added to their maximum when training scores set the threshold. */
export const TRAINING_THRESHOLD_MARGIN = 0.1;

/**
 * A product's threshold and the good scores behind it. With MIN_HELD_OUT_FOR_QUANTILE held-out
 * images or more: their (1 - target) quantile. Below that, a 2% quantile of a handful of scores is
 * just their maximum, an underestimate of the real quantile: they are pooled with the (optimistic)
 * training scores, and a margin is added to the maximum instead. `trainingScores` is called only
 * then (scoring the training images costs time).
 */
export function productThreshold(
  heldOutScores: readonly number[],
  trainingScores: () => readonly number[],
  targetFalseRejectRate: number,
): ClassCalibrationRecord {
  const fromHeldOut = heldOutScores.length >= MIN_HELD_OUT_FOR_QUANTILE;
  const goodScores = fromHeldOut ? [...heldOutScores] : [...heldOutScores, ...trainingScores()];
  return {
    threshold: thresholdForFalseRejectRate(
      goodScores,
      fromHeldOut ? targetFalseRejectRate : 0,
      fromHeldOut ? 0 : TRAINING_THRESHOLD_MARGIN,
    ),
    targetFalseRejectRate,
    thresholdSource: fromHeldOut ? 'held-out' : 'training',
    goodScores,
  };
}
