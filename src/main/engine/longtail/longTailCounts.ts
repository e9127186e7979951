export type LongTailType = 'exp' | 'step';

/**
 * Training images per class rank for the long-tailed protocols of the LTAD paper, with
 * beta = N_max / N_min:
 *  exp:  N_c = floor(N_max * beta^(-c / (C - 1)))
 *  step: the first ceil(C / 2) classes get N_max, the rest floor(N_max / beta).
 * Every class keeps at least one image.
 */
export function longTailCounts(type: LongTailType, classCount: number, nMax: number, beta: number): number[] {
  if (!Number.isInteger(classCount) || classCount < 1) throw new Error('The class count must be a positive integer');
  if (!Number.isInteger(nMax) || nMax < 1) throw new Error('N_max must be a positive integer');
  if (!(beta >= 1)) throw new Error('beta (N_max / N_min) must be at least 1');
  return Array.from({ length: classCount }, (_, c) => {
    const n =
      type === 'exp'
        ? classCount === 1
          ? nMax
          : Math.floor(nMax * beta ** (-c / (classCount - 1)) + 1e-9)
        : c < Math.ceil(classCount / 2)
          ? nMax
          : Math.floor(nMax / beta + 1e-9);
    return Math.max(1, n);
  });
}
