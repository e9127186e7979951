import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FoundationPackManifest } from '../../src/shared/foundationPack';
import { OnnxGraphBuilder } from '../../src/main/engine/onnx/onnxGraphBuilder';
import { createClipShapedTextTower } from '../../src/main/engine/ltad/textTower';
import { encodeWeights } from '../../src/main/engine/ltad/weightFiles';
import { seededRandom } from '../../src/main/engine/seededRandom';

export const TINY_PACK_VOCABULARY = ['<sos>', '<eos>', 'a', 'broken', 'object', 'photo', 'of'];

/** Two stride-2 conv + ReLU stages on a 32 px NHWC input, random weights: a stand-in CLIP image tower. */
function tinyImageTower(seed: number): Uint8Array {
  const random = seededRandom(seed);
  const b = new OnnxGraphBuilder();
  const weights = (n: number) => Float32Array.from({ length: n }, () => (random() - 0.5) * 0.5);
  b.addInput('pixels', ['batch', 32, 32, 3]);
  b.addNode('Transpose', 'to_nchw', ['pixels'], ['x'], { perm: [0, 3, 1, 2] });
  const stage = (name: string, input: string, cin: number, cout: number) => {
    const w = b.addFloatInitializer(`${name}/W`, [cout, cin, 3, 3], weights(cout * cin * 9));
    b.addNode('Conv', `${name}/conv`, [input, w], [`${name}/c`], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] });
    b.addNode('Relu', `${name}/relu`, [`${name}/c`], [`${name}/r`]);
    b.addNode('Transpose', `${name}/to_nhwc`, [`${name}/r`], [`${name}_nhwc`], { perm: [0, 2, 3, 1] });
    return `${name}/r`;
  };
  const r1 = stage('stage1', 'x', 3, 8);
  stage('stage2', r1, 8, 16);
  b.addOutput('stage1_nhwc', ['batch', 16, 16, 8]);
  b.addOutput('stage2_nhwc', ['batch', 8, 8, 16]);
  return b.toModel({ graph: 'tiny_clip_image', description: 'test pack', producer: 'qa-station tests' });
}

/** Writes a tiny randomly initialised CLIP-family pack into `dir`; returns its manifest. */
export function writeTinyFoundationPack(dir: string, overrides: Partial<FoundationPackManifest> = {}): FoundationPackManifest {
  const text = { width: 16, layers: 1, heads: 2, outputDim: 12 };
  const tower = createClipShapedTextTower({
    config: { ...text, seed: 7 },
    vocabulary: TINY_PACK_VOCABULARY,
    kind: 'clip-pack',
    description: 'test',
  });
  const { manifest: entries, bin } = encodeWeights(tower.weights());
  tower.dispose();
  const manifest: FoundationPackManifest = {
    format: 'qa-station/foundation-pack@1',
    name: 'tiny-random-clip',
    description: 'randomly initialised test pack',
    imageTower: {
      file: 'image_tower.onnx',
      input: 'pixels',
      inputSize: 32,
      mean: [0.48, 0.46, 0.41],
      std: [0.27, 0.26, 0.28],
      taps: [
        { name: 'stage1', output: 'stage1_nhwc' },
        { name: 'stage2', output: 'stage2_nhwc' },
      ],
    },
    textTower: { weights: 'text_tower.bin', manifest: 'text_tower.json', vocabulary: TINY_PACK_VOCABULARY, ...text },
    ...overrides,
  };
  writeFileSync(path.join(dir, 'image_tower.onnx'), tinyImageTower(3));
  writeFileSync(path.join(dir, 'text_tower.bin'), bin);
  writeFileSync(path.join(dir, 'text_tower.json'), JSON.stringify(entries));
  writeFileSync(path.join(dir, 'pack.json'), JSON.stringify(manifest, null, 2));
  return manifest;
}

/** Network sizes small enough to train a whole job on the tiny pack in a second or two. */
export const TINY_PACK_NETWORK = { grid: 8, width: 16, ffn: 32, heads: 2, vaeWidth: 16, latentChannels: 4, batchSize: 4 };
