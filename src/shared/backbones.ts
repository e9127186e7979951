import { z } from 'zod';

/** Pretrained image encoders the station can use (docs/method.md, Pretrained weights). */
export const BACKBONE_IDS = ['mobilenetv2', 'inceptionv3'] as const;
export const backboneIdSchema = z.enum(BACKBONE_IDS);
export type BackboneId = z.infer<typeof backboneIdSchema>;

/** Where the frozen backbone runs: onnxruntime-node (fast) or TensorFlow.js (reference path). */
export const FEATURE_RUNTIME_IDS = ['onnx', 'tfjs'] as const;
export const featureRuntimeIdSchema = z.enum(FEATURE_RUNTIME_IDS);
export type FeatureRuntimeId = z.infer<typeof featureRuntimeIdSchema>;

/** One tapped layer: [height, width, channels] of a single image's feature map. */
export const tapShapeSchema = z.object({
  name: z.string().min(1),
  shape: z.tuple([z.number().int().positive(), z.number().int().positive(), z.number().int().positive()]),
});
export type TapShape = z.infer<typeof tapShapeSchema>;

/** What `qa-station features --json` prints. */
export const featuresReportSchema = z.object({
  backbone: backboneIdSchema,
  runtime: featureRuntimeIdSchema,
  /** The concrete engine, e.g. "onnxruntime-node cpu" or "tfjs wasm". */
  runtimeDetail: z.string(),
  image: z.string(),
  taps: z.array(tapShapeSchema),
  ms: z.number().nonnegative(),
});
export type FeaturesReport = z.infer<typeof featuresReportSchema>;
