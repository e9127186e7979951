import type { InspectionResult } from '../../shared/api/apiRecords';
import type { ScoreScale } from '../../shared/normalisedScore';

/** The score scale an inspection ran on, where it kept one (its region peaks are shown on it). */
export function scaleOf(result: Pick<InspectionResult, 'threshold' | 'scoreSpread'>): ScoreScale | null {
  return result.scoreSpread === null ? null : { threshold: result.threshold, spread: result.scoreSpread };
}
