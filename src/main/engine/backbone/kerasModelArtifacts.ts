import type { KerasModelTopology } from './kerasTopology';

/** A tfjs weight entry from model.json's weightsManifest (uint8-quantized here). */
export interface WeightSpecJson {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { min?: number; scale?: number; dtype: string };
}

/** A Keras model as tfjs loads it, from memory: read from the nsfwjs package by src/main/engineAdapters/nsfwjsModelFiles.ts. */
export interface KerasModelArtifacts {
  modelTopology: KerasModelTopology;
  weightSpecs: WeightSpecJson[];
  weightData: ArrayBuffer;
  /** sha256 over the package files the weights came from: the cache key of everything derived. */
  contentHash: string;
  sourceFiles: string[];
}
