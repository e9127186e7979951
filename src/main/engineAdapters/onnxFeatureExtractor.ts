import os from 'node:os';
import * as ort from 'onnxruntime-node';
import type { BackboneSpec } from '../engine/backbone/backboneSpecs';
import { checkBatch, type FeatureExtractor, type TapFeatures } from '../engine/backbone/featureExtractor';
import { ONNX_INPUT_NAME, onnxOutputName } from '../engine/backbone/onnx/kerasToOnnx';
import { onnxRuntimeDetail } from './onnxExecution';
import { createOnnxSession } from './onnxSession';

export interface OnnxRunOptions {
  /** Intra-op threads; defaults to the machine's core count. */
  threads?: number;
}

/** The fast path: the converted graph run by onnxruntime-node, on the process's execution provider. */
export async function createOnnxFeatureExtractor(
  spec: BackboneSpec,
  graphFile: string,
  taps: readonly string[],
  options: OnnxRunOptions = {},
): Promise<FeatureExtractor> {
  const { session, execution } = await createOnnxSession(graphFile, {
    graphOptimizationLevel: 'all',
    intraOpNumThreads: options.threads ?? os.availableParallelism(),
  });
  return {
    backbone: spec.id,
    runtime: 'onnx',
    runtimeDetail: onnxRuntimeDetail(execution),
    inputSize: spec.inputSize,
    taps,
    async extract(batch: Float32Array, batchSize: number): Promise<TapFeatures[]> {
      checkBatch(batch, batchSize, spec.inputSize);
      const input = new ort.Tensor('float32', batch, [batchSize, spec.inputSize, spec.inputSize, 3]);
      const results = await session.run({ [ONNX_INPUT_NAME]: input });
      input.dispose();
      return taps.map((tap) => {
        const output = results[onnxOutputName(tap)];
        if (!output) throw new Error(`ONNX graph returned no output for tap ${tap}`);
        const data = output.data as Float32Array;
        return { name: tap, shape: output.dims as unknown as [number, number, number, number], data };
      });
    },
    async dispose(): Promise<void> {
      await session.release();
    },
  };
}
