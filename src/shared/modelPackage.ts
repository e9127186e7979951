import { z } from 'zod';
import type { InspectionVerdict } from './inspectionVerdict';
import { onnxImageTowerSchema } from './foundationPack';

/** The format of an exported model package's manifest.json (docs/ARCHITECTURE.md, Model packages). */
export const MODEL_PACKAGE_FORMAT = 'qa-station/model-package@1';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
/** A file inside the package: a plain name, or heads/<name>. */
const packageFile = z.string().regex(/^(heads\/)?[\w.-]+$/, 'a file name inside the package');

/** One product as the package scores it: its heads graph and the threshold in force when exported. */
export const packageProductSchema = z.object({
  name: z.string().min(1),
  /** The product's LTAD heads: raw token maps [n, T, dim] in; rec, sem, score [n, T] and pooled [n, dim] out. */
  heads: packageFile,
  /** The threshold in force on the station at export; the image score is compared with it (score > threshold fails). */
  threshold: z.number().finite(),
  thresholdSource: z.enum(['held-out', 'training', 'supervisor']),
  /** What training measured, kept as history (a supervisor's threshold may differ). */
  trainedThreshold: z.number().finite().nullable(),
  /** With the threshold, the product's normalised score scale (normalisedScore.ts); absent in packages exported before, or where the scale is unknown. */
  scoreSpread: z.number().finite().positive().optional(),
  /** The learned pseudo-name embeddings of the product, [tokens x dim] row-major. */
  pseudoName: z.object({ tokens: z.number().int().positive(), dim: z.number().int().positive(), values: z.array(z.number()) }),
});

export const modelPackageManifestSchema = z.object({
  format: z.literal(MODEL_PACKAGE_FORMAT),
  model: z.object({
    version: z.string().min(1),
    createdAt: z.string(),
    /** The image encoder the model was trained on: a built-in backbone id or pack:<name>. */
    backbone: z.string().min(1),
    /** The model directory's format (ltadModel.ts) and the heads graph's version (ltadHeadsGraph.ts). */
    modelFormat: z.string().min(1),
    headsGraphVersion: z.number().int(),
  }),
  exportedAt: z.string(),
  exportedBy: z.string(),
  /** The backbone graph; the network input is x / 255 of the RGB pixels, then (x - mean) / std. */
  imageTower: onnxImageTowerSchema,
  input: z.object({
    /** Images larger than this on their longest side are shrunk first (lanczos3), and the input made from that. */
    viewMaxSide: z.number().int().positive(),
    fit: z.enum(['stretch', 'letterbox']),
    /** The letterbox bars' RGB. */
    letterboxColour: z.tuple([z.number(), z.number(), z.number()]),
  }),
  tokens: z.object({ grid: z.number().int().positive(), layerChannels: z.array(z.number().int().positive()).min(1) }),
  /** From per-token scores to the anomaly map and the image score (mapPostprocess.ts). */
  map: z.object({ size: z.number().int().positive(), blurSigma: z.number().min(0), scoreWindow: z.number().int().positive() }),
  /** The check that a part looks like the product being run (classPrototypes.ts). */
  prototypes: z.object({
    classNames: z.array(z.string()),
    dim: z.number().int().positive(),
    minSimilarity: z.array(z.number()),
    vectors: z.array(z.number()),
  }),
  /** The token standardisation folded into every heads graph, kept for reference. */
  normalisation: z.object({ mean: z.array(z.number()), std: z.array(z.number()) }),
  products: z.array(packageProductSchema).min(1),
  /** Every other file of the package with its sha256 and size; each is checked before it is used. */
  files: z.record(packageFile, z.object({ sha256, bytes: z.number().int().nonnegative() })),
});
export type ModelPackageManifest = z.infer<typeof modelPackageManifestSchema>;

/** What `qa-station inspect --package` gives for one image: the station's verdict fields, from the package alone. */
export type PackageInspection = InspectionVerdict;
