import { auroc } from './auroc';

export interface JudgedDefect {
  score: number;
  verdict: 'pass' | 'fail';
}

export interface ValidationCounts {
  imageAuroc: number | null;
  falseRejectRate: number | null;
  escapeRate: number | null;
  confusion: { goodPassed: number; goodFailed: number; defectPassed: number; defectFailed: number };
}

/**
 * A model on labelled defects and good scores at one threshold: image AUROC of defects against
 * good parts, the share of good parts that fail (score above the threshold), the share of defects
 * that pass (escapes: judged as the station judges, so a defect failed as "not this product" is
 * caught), and the confusion matrix behind both.
 */
export function validationCounts(goodScores: readonly number[], defects: readonly JudgedDefect[], threshold: number): ValidationCounts {
  const goodFailed = goodScores.filter((s) => s > threshold).length;
  const defectPassed = defects.filter((d) => d.verdict === 'pass').length;
  const both = goodScores.length > 0 && defects.length > 0;
  return {
    imageAuroc: both
      ? auroc([...goodScores, ...defects.map((d) => d.score)], [...goodScores.map(() => false), ...defects.map(() => true)])
      : null,
    falseRejectRate: goodScores.length > 0 ? goodFailed / goodScores.length : null,
    escapeRate: defects.length > 0 ? defectPassed / defects.length : null,
    confusion: {
      goodPassed: goodScores.length - goodFailed,
      goodFailed,
      defectPassed,
      defectFailed: defects.length - defectPassed,
    },
  };
}
