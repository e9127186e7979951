import { z } from 'zod';
import { inputFitSchema } from './inputFit';

const metric = z.number().min(0).max(1).nullable();

export const classEvaluationSchema = z.object({
  nTrain: z.number().int().nonnegative(),
  nTestGood: z.number().int().nonnegative(),
  nTestDefect: z.number().int().nonnegative(),
  imageAuroc: metric,
  /** At mapSize x mapSize; null where the class has no ground-truth masks. */
  pixelAuroc: metric,
  aupro: metric,
  /**
   * A model's verdicts at the threshold in force on the station, where the method has one (LTAD):
   * good parts failed (false rejects) and defective parts passed (escapes), as fractions.
   */
  atThreshold: z.object({ threshold: z.number(), falseRejectRate: metric, escapeRate: metric }).nullable().optional(),
});
export type ClassEvaluation = z.infer<typeof classEvaluationSchema>;

const means = z.object({ image: metric, pixel: metric, aupro: metric });

/** What `qa-station eval --json` prints. */
export const evaluationReportSchema = z.object({
  method: z.string(),
  ablation: z.string().nullable(),
  backbone: z.string(),
  featureRuntime: z.string(),
  backend: z.string(),
  grid: z.number().int().positive(),
  /** How the images entered the backbone. */
  inputFit: inputFitSchema,
  mapSize: z.number().int().positive(),
  perClass: z.record(z.string(), classEvaluationSchema),
  avg: means,
  high: means,
  low: means,
  highClasses: z.array(z.string()),
  lowClasses: z.array(z.string()),
  /** Classes trained on but not evaluated: they have no test folder. */
  untestedClasses: z.array(z.string()),
  trainSeconds: z.number().nonnegative(),
  /** Features + scoring + map, per test image. */
  msPerImage: z.number().nonnegative(),
  cores: z.number().int().positive(),
});
export type EvaluationReport = z.infer<typeof evaluationReportSchema>;
