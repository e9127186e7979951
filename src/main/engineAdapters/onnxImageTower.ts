import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import type { OnnxImageTower } from '../../shared/foundationPack';
import { checkBatch, type FeatureExtractor, type TapFeatures } from '../engine/backbone/featureExtractor';
import { onnxRuntimeDetail } from './onnxExecution';
import { createOnnxSession } from './onnxSession';

/**
 * An ONNX image tower in `dir` as a feature extractor (a foundation pack's, or an exported model
 * package's backbone): the input is x / 255 normalised by the tower's mean and std, the taps are the
 * named NHWC outputs. `label` names it in errors and in the runtime detail.
 */
export async function openOnnxImageTower(
  dir: string,
  tower: OnnxImageTower,
  { backbone, label }: { backbone: FeatureExtractor['backbone']; label: string },
): Promise<FeatureExtractor> {
  const { session, execution } = await createOnnxSession(path.join(dir, tower.file), {
    graphOptimizationLevel: 'all',
    intraOpNumThreads: os.availableParallelism(),
  });
  const missingOutputs = tower.taps.filter((t) => !session.outputNames.includes(t.output)).map((t) => t.output);
  if (missingOutputs.length > 0) throw new Error(`${label}: the image tower has no output ${missingOutputs.join(', ')}`);
  if (!session.inputNames.includes(tower.input)) throw new Error(`${label}: the image tower has no input "${tower.input}"`);
  const identity = tower.mean.every((m) => m === 0) && tower.std.every((s) => s === 1);
  return {
    backbone,
    runtime: 'onnx',
    runtimeDetail: `${onnxRuntimeDetail(execution)}, ${label}`,
    inputSize: tower.inputSize,
    taps: tower.taps.map((t) => t.name),
    async extract(batch: Float32Array, batchSize: number): Promise<TapFeatures[]> {
      checkBatch(batch, batchSize, tower.inputSize);
      const normalised = identity ? batch : batch.map((v, i) => (v - (tower.mean[i % 3] as number)) / (tower.std[i % 3] as number));
      const input = new ort.Tensor('float32', normalised, [batchSize, tower.inputSize, tower.inputSize, 3]);
      const results = await session.run({ [tower.input]: input });
      return tower.taps.map((t) => {
        const out = results[t.output] as ort.Tensor;
        if (out.dims.length !== 4 || out.dims[0] !== batchSize)
          throw new Error(`${label}: output ${t.output} is [${out.dims.join(', ')}], expected NHWC [${batchSize}, h, w, c]`);
        return { name: t.name, shape: out.dims as unknown as [number, number, number, number], data: out.data as Float32Array };
      });
    },
    async dispose() {
      await session.release();
    },
  };
}
