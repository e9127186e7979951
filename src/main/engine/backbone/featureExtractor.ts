import type { BackboneId, FeatureRuntimeId } from '../../../shared/backbones';

/** One tapped layer's output for a batch, NHWC, float32. */
export interface TapFeatures {
  name: string;
  /** [batch, height, width, channels] */
  shape: [number, number, number, number];
  data: Float32Array;
}

/**
 * A frozen pretrained image encoder with several tapped layers. Inputs are a batch of RGB images
 * already resized to inputSize x inputSize, NHWC, values in [0, 1].
 */
export interface FeatureExtractor {
  /** A built-in backbone id, or pack:<name> for a foundation pack's image tower. */
  readonly backbone: BackboneId | `pack:${string}`;
  readonly runtime: FeatureRuntimeId;
  readonly runtimeDetail: string;
  readonly inputSize: number;
  readonly taps: readonly string[];
  extract(batch: Float32Array, batchSize: number): Promise<TapFeatures[]>;
  dispose(): Promise<void>;
}

export function checkBatch(batch: Float32Array, batchSize: number, inputSize: number): void {
  const expected = batchSize * inputSize * inputSize * 3;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`Batch size must be a positive integer, got ${batchSize}`);
  if (batch.length !== expected) {
    throw new Error(`Batch holds ${batch.length} values; ${batchSize} images of ${inputSize}x${inputSize}x3 need ${expected}`);
  }
}
