import { z } from 'zod';

/** An image encoder as an ONNX graph with tapped outputs (a foundation pack's, or an exported model package's backbone). */
export const onnxImageTowerSchema = z.object({
  /** File name inside the pack (or package) folder. */
  file: z.string().regex(/^[\w.-]+\.onnx$/, 'a plain .onnx file name inside the folder'),
  /** Name of the graph's input: NHWC float32 [batch, inputSize, inputSize, 3]. */
  input: z.string().min(1),
  inputSize: z.number().int().min(16).max(1024),
  /** Applied to x / 255 before the graph: (x - mean) / std per channel. */
  mean: z.tuple([z.number(), z.number(), z.number()]),
  std: z.tuple([z.number().positive(), z.number().positive(), z.number().positive()]),
  /** Graph outputs to tap, shallow to deep, each NHWC [batch, h, w, c]. */
  taps: z
    .array(z.object({ name: z.string().min(1), output: z.string().min(1) }))
    .min(1)
    .max(8),
});
export type OnnxImageTower = z.infer<typeof onnxImageTowerSchema>;

/**
 * pack.json of a user-supplied CLIP-family foundation pack: an ONNX image tower with tapped
 * outputs and the weights of a CLIP-shaped text tower (docs/method.md, Pretrained weights).
 */
export const foundationPackManifestSchema = z.object({
  format: z.literal('qa-station/foundation-pack@1'),
  name: z.string().min(1).max(100),
  description: z.string().max(1000).default(''),
  imageTower: onnxImageTowerSchema,
  textTower: z.object({
    weights: z.string().regex(/^[\w.-]+\.bin$/),
    manifest: z.string().regex(/^[\w.-]+\.json$/),
    vocabulary: z.array(z.string().min(1)).min(5).max(100_000),
    width: z.number().int().positive(),
    layers: z.number().int().positive().max(48),
    heads: z.number().int().positive(),
    outputDim: z.number().int().positive(),
  }),
});
export type FoundationPackManifest = z.infer<typeof foundationPackManifestSchema>;
