import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKBONE_SPECS } from '../../src/main/engine/backbone/backboneSpecs';
import { createFeatureExtractor, ensureOnnxGraph } from '../../src/main/engineAdapters/createFeatureExtractor';
import type { FeatureExtractor, TapFeatures } from '../../src/main/engine/backbone/featureExtractor';
import { loadNsfwjsArtifacts } from '../../src/main/engineAdapters/nsfwjsModelFiles';
import { resolveTaps } from '../../src/main/engine/backbone/tapSelection';
import { scanMvtecDataset } from '../../src/main/ingest/datasetLayout';
import { loadNetworkImages, toNetworkBatch } from '../../src/main/ingest/networkInput';
import { generateSyntheticDataset } from '../../src/main/synthetic/syntheticDataset';
import { announceMissingRealData, hasRealData, REAL_DATA_DIR } from '../helpers/realData';
import { useTempDirs } from '../helpers/tempDir';

/**
 * Parity tolerance between the onnxruntime and TensorFlow.js paths: for every tap,
 * max |onnx - tfjs| <= 1e-4 * max |tfjs|. Measured here: 1.9e-5 (MobileNetV2) and 3.0e-6
 * (InceptionV3) on real images (float32 summation order).
 */
const PARITY_TOLERANCE = 1e-4;

function relativeMaxDifference(a: TapFeatures, b: TapFeatures): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.data.length; i++) {
    diff = Math.max(diff, Math.abs((a.data[i] as number) - (b.data[i] as number)));
    scale = Math.max(scale, Math.abs(b.data[i] as number));
  }
  return diff / scale;
}

const tempDir = useTempDirs();
const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'qa-station-backbone-cache-'));
let syntheticImages: string[] = [];
const synthDir = mkdtempSync(path.join(os.tmpdir(), 'qa-station-synth-'));
const tempDirForSuite = () => synthDir;
afterAll(() => {
  rmSync(cacheDir, { recursive: true, force: true });
  rmSync(synthDir, { recursive: true, force: true });
});

beforeAll(async () => {
  const out = tempDirForSuite();
  await generateSyntheticDataset({
    outDir: out,
    classes: 3,
    seed: 11,
    nMax: 1,
    testGood: 0,
    testDefectsPerType: 1,
    defectTypes: ['scratch'],
  });
  syntheticImages = scanMvtecDataset(out).flatMap((c) => [c.trainGood[0] as string, (c.test[0] as { file: string }).file]);
});

describe('tap selection', () => {
  const spec = BACKBONE_SPECS.mobilenetv2;
  const topology = loadNsfwjsArtifacts(spec).modelTopology;

  it('defaults to the design taps, in network order', () => {
    expect(resolveTaps(spec, topology)).toEqual(['block_3_expand_relu', 'block_6_expand_relu', 'block_10_expand_relu']);
    expect(resolveTaps(spec, topology, ['block_6_expand_relu', 'block_1_expand_relu'])).toEqual([
      'block_1_expand_relu',
      'block_6_expand_relu',
    ]);
  });

  it('refuses layers past the ImageNet boundary and unknown names', () => {
    expect(() => resolveTaps(spec, topology, ['block_12_expand_relu'])).toThrow(/not ImageNet weights/);
    expect(() => resolveTaps(spec, topology, ['no_such_layer'])).toThrow(/no layer named/);
    const inception = BACKBONE_SPECS.inceptionv3;
    expect(() => resolveTaps(inception, loadNsfwjsArtifacts(inception).modelTopology, ['mixed7'])).toThrow(/not ImageNet weights/);
  });
});

describe('ONNX graph cache', () => {
  it('converts once, reuses the file, and regenerates a damaged one', async () => {
    const dir = tempDir();
    const spec = BACKBONE_SPECS.mobilenetv2;
    const taps = ['block_3_expand_relu'];
    const first = await ensureOnnxGraph(spec, taps, dir);
    expect(first.generated).toBe(true);
    const second = await ensureOnnxGraph(spec, taps, dir);
    expect(second).toEqual({ file: first.file, generated: false });
    const bytes = readFileSync(first.file);
    writeFileSync(first.file, bytes.subarray(0, bytes.length / 2)); // a process killed mid-write
    const third = await ensureOnnxGraph(spec, taps, dir);
    expect(third.generated).toBe(true);
    expect(readFileSync(third.file).equals(bytes)).toBe(true);
    const otherTaps = await ensureOnnxGraph(spec, ['block_6_expand_relu'], dir);
    expect(otherTaps.file).not.toBe(first.file);
  });
});

for (const backbone of ['mobilenetv2', 'inceptionv3'] as const) {
  describe(`${backbone}: onnxruntime and TensorFlow.js agree`, () => {
    let onnx: FeatureExtractor;
    let tfjs: FeatureExtractor;
    beforeAll(async () => {
      onnx = await createFeatureExtractor({ backbone, runtime: 'onnx', cacheDir });
      tfjs = await createFeatureExtractor({ backbone, runtime: 'tfjs', cacheDir });
    });
    afterAll(async () => {
      await onnx?.dispose();
      await tfjs?.dispose();
    });

    async function expectParity(files: string[]): Promise<void> {
      const batch = toNetworkBatch(await loadNetworkImages(files, onnx.inputSize, 'stretch'));
      const [a, b] = [await onnx.extract(batch, files.length), await tfjs.extract(batch, files.length)];
      expect(a.map((t) => t.name)).toEqual(BACKBONE_SPECS[backbone].defaultTaps);
      a.forEach((tap, i) => {
        expect(tap.shape).toEqual((b[i] as TapFeatures).shape);
        expect(tap.shape[0]).toBe(files.length);
        expect(relativeMaxDifference(tap, b[i] as TapFeatures)).toBeLessThan(PARITY_TOLERANCE);
      });
    }

    it('on synthetic images', async () => {
      await expectParity(syntheticImages);
    });

    it.skipIf(!hasRealData)('on real factory images, one of each class', async () => {
      // One image per product folder, however many products the folder holds.
      const productFolders = readdirSync(REAL_DATA_DIR, { withFileTypes: true }).filter((d) => d.isDirectory());
      const files = scanMvtecDataset(REAL_DATA_DIR).map((c) => c.trainGood[0] as string);
      expect(files.length).toBe(productFolders.length);
      expect(files.every((file) => existsSync(file))).toBe(true);
      await expectParity(files);
    });

    it('gives each image of a batch the same features as on its own', async () => {
      const batch = toNetworkBatch(await loadNetworkImages(syntheticImages.slice(0, 3), onnx.inputSize, 'stretch'));
      const together = await onnx.extract(batch, 3);
      const per = onnx.inputSize * onnx.inputSize * 3;
      const alone = await onnx.extract(batch.slice(per, 2 * per), 1);
      const tap = together[0] as TapFeatures;
      const size = tap.data.length / 3;
      const second = tap.data.subarray(size, 2 * size);
      let diff = 0;
      for (let i = 0; i < size; i++) diff = Math.max(diff, Math.abs((second[i] as number) - ((alone[0] as TapFeatures).data[i] as number)));
      expect(diff).toBeLessThan(1e-4);
    });

    it('refuses a batch of the wrong size', async () => {
      await expect(onnx.extract(new Float32Array(10), 1)).rejects.toThrow(/need/);
    });
  });
}

announceMissingRealData('backbone parity');
