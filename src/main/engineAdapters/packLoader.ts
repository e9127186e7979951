import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { foundationPackManifestSchema, type FoundationPackManifest } from '../../shared/foundationPack';
import { checkBatch, type FeatureExtractor, type TapFeatures } from '../engine/backbone/featureExtractor';
import { createClipShapedTextTower } from '../engine/ltad/textTower';
import { decodeWeights, type WeightEntry } from '../engine/ltad/weightFiles';
import type { FoundationPack } from '../engine/foundationPack/foundationPack';
import { onnxRuntimeDetail } from './onnxExecution';
import { createOnnxSession } from './onnxSession';

function readPackFile(dir: string, name: string): Buffer {
  const file = path.join(dir, name);
  if (!existsSync(file)) throw new Error(`Foundation pack ${dir}: ${name} is missing`);
  return readFileSync(file);
}

async function createPackImageEncoder(dir: string, manifest: FoundationPackManifest): Promise<FeatureExtractor> {
  const tower = manifest.imageTower;
  const { session, execution } = await createOnnxSession(path.join(dir, tower.file), {
    graphOptimizationLevel: 'all',
    intraOpNumThreads: os.availableParallelism(),
  });
  const missingOutputs = tower.taps.filter((t) => !session.outputNames.includes(t.output)).map((t) => t.output);
  if (missingOutputs.length > 0)
    throw new Error(`Foundation pack ${manifest.name}: the image tower has no output ${missingOutputs.join(', ')}`);
  if (!session.inputNames.includes(tower.input))
    throw new Error(`Foundation pack ${manifest.name}: the image tower has no input "${tower.input}"`);
  return {
    backbone: `pack:${manifest.name}`,
    runtime: 'onnx',
    runtimeDetail: `${onnxRuntimeDetail(execution)}, pack ${manifest.name}`,
    inputSize: tower.inputSize,
    taps: tower.taps.map((t) => t.name),
    async extract(batch: Float32Array, batchSize: number): Promise<TapFeatures[]> {
      checkBatch(batch, batchSize, tower.inputSize);
      const normalised = batch.map((v, i) => (v - (tower.mean[i % 3] as number)) / (tower.std[i % 3] as number));
      const input = new ort.Tensor('float32', normalised, [batchSize, tower.inputSize, tower.inputSize, 3]);
      const results = await session.run({ [tower.input]: input });
      return tower.taps.map((t) => {
        const out = results[t.output] as ort.Tensor;
        if (out.dims.length !== 4 || out.dims[0] !== batchSize)
          throw new Error(`Pack output ${t.output} is [${out.dims.join(', ')}], expected NHWC [${batchSize}, h, w, c]`);
        return { name: t.name, shape: out.dims as unknown as [number, number, number, number], data: out.data as Float32Array };
      });
    },
    async dispose() {
      await session.release();
    },
  };
}

/**
 * Opens a user-supplied CLIP-family pack folder: pack.json (validated), the ONNX image tower and
 * the text-tower weights. Errors name the pack and what is wrong with it.
 */
export function loadFoundationPack(dir: string): FoundationPack {
  let raw: unknown;
  try {
    raw = JSON.parse(readPackFile(dir, 'pack.json').toString('utf8'));
  } catch (error) {
    throw new Error(`Foundation pack ${dir}: pack.json is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const parsed = foundationPackManifestSchema.safeParse(raw);
  if (!parsed.success)
    throw new Error(
      `Foundation pack ${dir}: pack.json is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  const manifest = parsed.data;
  readPackFile(dir, manifest.imageTower.file);
  const text = manifest.textTower;
  const entries = JSON.parse(readPackFile(dir, text.manifest).toString('utf8')) as WeightEntry[];
  const weights = decodeWeights(entries, readPackFile(dir, text.weights), `${dir}/${text.weights}`);
  return {
    id: `pack:${manifest.name}`,
    description: manifest.description || manifest.name,
    createImageEncoder: () => createPackImageEncoder(dir, manifest),
    createTextTower: () =>
      createClipShapedTextTower({
        config: { width: text.width, layers: text.layers, heads: text.heads, outputDim: text.outputDim, seed: 0 },
        vocabulary: text.vocabulary,
        weights,
        kind: 'clip-pack',
        description: `text tower of foundation pack "${manifest.name}" (${text.layers} layers, width ${text.width})`,
      }),
  };
}
