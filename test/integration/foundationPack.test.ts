import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildTokenMaps } from '../../src/main/engine/features/tokenMaps';
import { loadFoundationPack } from '../../src/main/engineAdapters/packLoader';
import { initTfjs, tf } from '../../src/main/engine/tfjsRuntime';
import { readModelDirectory, writeModelDirectory } from '../../src/main/engineAdapters/modelDirectory';
import { openLtadModel } from '../../src/main/engineAdapters/openLtadModel';
import { scanMvtecDataset } from '../../src/main/ingest/datasetLayout';
import { runTrainingJob } from '../../src/main/services/training/ltadTrainingJob';
import { generateSyntheticDataset } from '../../src/main/synthetic/syntheticDataset';
import { useTempDirs } from '../helpers/tempDir';
import { TINY_PACK_NETWORK, writeTinyFoundationPack } from '../helpers/tinyFoundationPack';

const tempDir = useTempDirs();
beforeAll(async () => {
  await initTfjs();
});

describe('user-supplied CLIP-family foundation pack', () => {
  it('runs its image tower with its own normalisation and yields NHWC taps for the token grid', async () => {
    const dir = tempDir();
    const manifest = writeTinyFoundationPack(dir);
    const pack = loadFoundationPack(dir);
    expect(pack.id).toBe('pack:tiny-random-clip');
    const encoder = await pack.createImageEncoder({ cacheDir: dir, runtime: 'onnx' });
    const batch = Float32Array.from({ length: 2 * 32 * 32 * 3 }, (_, i) => (i % 255) / 255);
    const taps = await encoder.extract(batch, 2);
    expect(taps.map((t) => [t.name, t.shape])).toEqual([
      ['stage1', [2, 16, 16, 8]],
      ['stage2', [2, 8, 8, 16]],
    ]);
    // Same as running the graph directly on (x - mean) / std.
    const session = await ort.InferenceSession.create(path.join(dir, 'image_tower.onnx'));
    const { mean, std } = manifest.imageTower;
    const normalised = batch.map((v, i) => (v - (mean[i % 3] as number)) / (std[i % 3] as number));
    const direct = await session.run({ pixels: new ort.Tensor('float32', normalised, [2, 32, 32, 3]) });
    expect([...(taps[1]?.data ?? [])]).toEqual([...((direct.stage2_nhwc as ort.Tensor).data as Float32Array)]);
    const maps = buildTokenMaps(taps, 8);
    expect(maps.layerChannels).toEqual([8, 16]);
    await encoder.dispose();
    await session.release();
  });

  it('loads its text tower with exactly the stored weights, frozen, differentiable in the pseudo-names', () => {
    const dir = tempDir();
    writeTinyFoundationPack(dir);
    const tower = loadFoundationPack(dir).createTextTower();
    expect(tower.kind).toBe('clip-pack');
    const names = tf.variable(tower.wordEmbedding('object').reshape([1, 1, 16]).tile([2, 2, 1]));
    const { value, grads } = tf.variableGrads(() => tower.encode(['a', 'broken'], names).sum() as tf.Scalar, [names]);
    expect((grads[names.name] as tf.Tensor).abs().sum().dataSync()[0]).toBeGreaterThan(0);
    expect(tower.encode(['a'], names).shape).toEqual([2, 12]);
    const again = loadFoundationPack(dir).createTextTower();
    expect(Object.keys(again.weights())).toEqual(Object.keys(tower.weights()));
    expect(tower.encode(['a'], names).arraySync()).toEqual(again.encode(['a'], names).arraySync());
    tf.dispose([value, names, ...Object.values(grads)]);
    tower.dispose();
    again.dispose();
  });

  it('explains what is wrong with a broken pack', async () => {
    const dir = tempDir();
    const manifest = writeTinyFoundationPack(dir);
    writeFileSync(
      path.join(dir, 'pack.json'),
      JSON.stringify({ ...manifest, imageTower: { ...manifest.imageTower, file: '../escape.onnx' } }),
    );
    expect(() => loadFoundationPack(dir)).toThrow(/imageTower.file: a plain .onnx file name/);
    writeFileSync(
      path.join(dir, 'pack.json'),
      JSON.stringify({ ...manifest, textTower: { ...manifest.textTower, vocabulary: ['<sos>', '<eos>', 'a', 'object', 'photo'] } }),
    );
    expect(() => loadFoundationPack(dir).createTextTower()).toThrow(/lacks "broken"/);
    writeFileSync(
      path.join(dir, 'pack.json'),
      JSON.stringify({ ...manifest, imageTower: { ...manifest.imageTower, taps: [{ name: 'x', output: 'nope' }] } }),
    );
    await expect(loadFoundationPack(dir).createImageEncoder({ cacheDir: dir, runtime: 'onnx' })).rejects.toThrow(/has no output nope/);
    writeFileSync(path.join(dir, 'pack.json'), '{ not json');
    expect(() => loadFoundationPack(dir)).toThrow(/not valid JSON/);
    writeTinyFoundationPack(dir);
    rmSync(path.join(dir, 'image_tower.onnx'));
    expect(() => loadFoundationPack(dir)).toThrow(/image_tower.onnx is missing/);
  });
});

describe('LTAD on a foundation pack', () => {
  it("trains with the pack's image and text towers and reloads the model from the pack", async () => {
    const packDir = tempDir();
    writeTinyFoundationPack(packDir);
    const data = tempDir();
    await generateSyntheticDataset({ outDir: data, classes: 2, seed: 4, size: 48, nMax: 6, testGood: 0, testDefectsPerType: 0 });
    const classes = scanMvtecDataset(data).map((c) => ({ name: c.name, trainFiles: c.trainGood }));
    const { model } = await runTrainingJob({
      classes,
      foundation: { kind: 'pack', dir: packDir },
      runtime: 'onnx',
      preset: 'fast',
      seed: 1,
      overrides: { ...TINY_PACK_NETWORK, phase1Epochs: 1, phase2Epochs: 1 },
      cacheDir: tempDir(),
    });
    expect(model.meta.backbone).toBe('pack:tiny-random-clip');
    expect(model.meta.textTower).toMatch(/text tower of foundation pack "tiny-random-clip"/);
    expect(model.meta.config.layerChannels).toEqual([8, 16]);
    const dir = path.join(tempDir(), 'model');
    const hashes = writeModelDirectory(dir, model.meta, model.weights());
    const { meta, weights } = readModelDirectory(dir, hashes);
    const reloaded = openLtadModel(meta, weights);
    const tokens = Float32Array.from({ length: 64 * 24 }, (_, i) => Math.cos(i));
    expect([...reloaded.tokenScores(tokens, 1, 'product_01')]).toEqual([...model.tokenScores(tokens, 1, 'product_01')]);
    model.dispose();
    reloaded.dispose();
  });
});
