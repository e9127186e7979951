import { z } from 'zod';

/** The training presets (model size and schedule): the one list the API, the CLI, the UI and the engine's configs follow. */
export const TRAINING_PRESETS = ['fast', 'standard'] as const;
export type TrainingPreset = (typeof TRAINING_PRESETS)[number];
export const trainingPresetSchema = z.enum(TRAINING_PRESETS);

/** A progress report from training, as shown in the UI and stored with the training run. */
export const trainingProgressEventSchema = z.object({
  phase: z.enum(['phase1', 'phase2']),
  epoch: z.number().int().nonnegative(),
  epochs: z.number().int().nonnegative(),
  step: z.number().int().nonnegative(),
  steps: z.number().int().nonnegative(),
  /** The step across both phases, and the steps of the whole run. */
  runStep: z.number().int().nonnegative(),
  runSteps: z.number().int().nonnegative(),
  losses: z.record(z.string(), z.number()),
  etaSeconds: z.number().nonnegative(),
});
export type TrainingProgressEventMessage = z.infer<typeof trainingProgressEventSchema>;

/**
 * A model the training worker wrote, as the model registry records it. The worker reads it off
 * the model in its memory, so that the registry needs neither TensorFlow.js nor the network.
 */
export const trainedModelSchema = z.object({
  modelDir: z.string(),
  fileHashes: z.record(z.string(), z.string()),
  backbone: z.string(),
  textTower: z.string(),
  /** The model's config with its taps, map options and lambda, as the catalogue keeps it. */
  config: z.record(z.string(), z.unknown()),
  /** Where and how long it trained, on how many images per product. */
  training: z.object({
    backend: z.string(),
    seconds: z.number(),
    perPhaseSeconds: z.record(z.string(), z.number()),
    nTrainPerClass: z.record(z.string(), z.number()),
    nHeldOutPerClass: z.record(z.string(), z.number()),
  }),
  lambda: z.number(),
  featureChannels: z.number().int().nonnegative(),
  products: z.array(
    z.object({
      name: z.string(),
      threshold: z.number(),
      thresholdSource: z.enum(['held-out', 'training']),
      targetFalseRejectRate: z.number().nullable(),
      /** The good-image scores behind the threshold (what a supervisor's threshold is carried with). */
      goodScores: z.array(z.number()),
      /** The learned pseudo-name embedding: tokens x dim float32 values. */
      pseudoName: z.object({
        tokens: z.number().int().positive(),
        dim: z.number().int().positive(),
        data: z.custom<Float32Array>((v) => v instanceof Float32Array, 'expected a Float32Array'),
      }),
    }),
  ),
});
export type TrainedModel = z.infer<typeof trainedModelSchema>;

/** Messages from the training worker thread to the main thread. */
export const trainingWorkerMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('progress'), event: trainingProgressEventSchema }),
  z.object({ type: z.literal('log'), line: z.string() }),
  z.object({
    type: z.literal('done'),
    model: trainedModelSchema,
    seconds: z.number(),
    perPhaseSeconds: z.record(z.string(), z.number()),
  }),
  z.object({ type: z.literal('cancelled') }),
  z.object({ type: z.literal('failed'), message: z.string() }),
]);
export type TrainingWorkerMessage = z.infer<typeof trainingWorkerMessageSchema>;

/** What `qa-station train --json` prints. */
export const trainReportSchema = z.object({
  modelVersion: z.string(),
  backend: z.string(),
  trainSeconds: z.number(),
  perPhaseSeconds: z.record(z.string(), z.number()),
  nTrainPerClass: z.record(z.string(), z.number().int()),
  nHeldOutPerClass: z.record(z.string(), z.number().int()),
  textTower: z.string(),
});
export type TrainReport = z.infer<typeof trainReportSchema>;

/** Replies of a data-parallel training helper thread to the trainer. */
export const stepWorkerReplySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({
    type: z.literal('share'),
    id: z.number().int(),
    grads: z.array(z.instanceof(Float32Array)),
    losses: z.record(z.string(), z.number()),
  }),
  z.object({ type: z.literal('failed'), message: z.string() }),
]);
export type StepWorkerReply = z.infer<typeof stepWorkerReplySchema>;
