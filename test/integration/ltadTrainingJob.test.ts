import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initTfjs } from '../../src/main/engine/tfjsRuntime';
import { MIN_HELD_OUT_FOR_STATS } from '../../src/main/engine/calibration/productPositionStats';
import { TrainingCancelledError } from '../../src/main/engine/ltad/trainingCancelledError';
import { scanMvtecDataset } from '../../src/main/ingest/datasetLayout';
import { runTrainingJob, type TrainingJobRequest } from '../../src/main/services/training/ltadTrainingJob';
import { generateSyntheticDataset } from '../../src/main/synthetic/syntheticDataset';
import { useTempDirs } from '../helpers/tempDir';
import { TINY_PACK_NETWORK, writeTinyFoundationPack } from '../helpers/tinyFoundationPack';

const tempDir = useTempDirs();
beforeAll(async () => {
  await initTfjs();
});

async function request(threads: number, nMax = 8): Promise<TrainingJobRequest> {
  const packDir = tempDir();
  writeTinyFoundationPack(packDir);
  const data = tempDir();
  await generateSyntheticDataset({ outDir: data, classes: 2, seed: 4, size: 48, nMax, testGood: 0, testDefectsPerType: 0 });
  return {
    classes: scanMvtecDataset(data).map((c) => ({ name: c.name, trainFiles: c.trainGood })),
    foundation: { kind: 'pack', dir: packDir },
    runtime: 'onnx',
    preset: 'fast',
    seed: 1,
    overrides: { ...TINY_PACK_NETWORK, phase1Epochs: 2, phase2Epochs: 2 },
    cacheDir: tempDir(),
    threads,
  };
}

describe('LTAD training job', () => {
  it('trains its steps on compiled graphs over every thread from features stored on disk, says so, and leaves no stored features behind', async () => {
    const job = await request(2);
    const logs: string[] = [];
    const { model } = await runTrainingJob(job, {}, (line) => logs.push(line));
    expect(logs.some((l) => /^training steps on onnxruntime-node .*, 2 threads$/.test(l))).toBe(true);
    expect(logs.some((l) => l.includes('tfjs threads'))).toBe(false); // no helper threads: the graphs use both cores
    expect(model.meta.training.backend).toMatch(/^steps on onnxruntime-node .*, 2 threads, prepared on tfjs/);
    expect(Object.values(model.meta.calibration).every((c) => Number.isFinite(c.threshold))).toBe(true);
    // Painted defect views for phase 2 (16 per product at least), and S_sem's weight measured on
    // views of the held-out images.
    expect(logs).toContain('defect views: 32 painted training images');
    expect(model.meta.semanticWeight?.views).toBe(job.classes.length);
    expect([1, 0.5, 0.25, 0]).toContain(model.meta.semanticWeight?.weight);
    expect(Object.keys(model.meta.semanticWeight?.aurocByWeight ?? {})).toHaveLength(4);
    // Every product has its weight (its own, or the pooled one with too few held-out images).
    expect(Object.keys(model.meta.semanticWeights ?? {}).sort()).toEqual(job.classes.map((c) => c.name).sort());
    expect(readdirSync(job.cacheDir).filter((n) => n.startsWith('training-'))).toEqual([]);
    model.dispose();
  });

  it("fits a product's position statistics on its held-out images when it has enough, on its training images otherwise", async () => {
    const job = await request(1, 2 * MIN_HELD_OUT_FOR_STATS);
    // Half held out: the first product keeps MIN_HELD_OUT_FOR_STATS aside, the second (cut short) fewer.
    const classes = job.classes.map((c, i) => (i === 1 ? { ...c, trainFiles: c.trainFiles.slice(0, MIN_HELD_OUT_FOR_STATS + 2) } : c));
    const { model } = await runTrainingJob({
      ...job,
      classes,
      heldOutFraction: 0.5,
      overrides: { ...job.overrides, phase1Epochs: 1, phase2Epochs: 1 },
    });
    const [first, second] = job.classes.map((c) => c.name) as [string, string];
    expect(model.meta.training.nHeldOutPerClass[first]).toBeGreaterThanOrEqual(MIN_HELD_OUT_FOR_STATS);
    expect(model.meta.training.nHeldOutPerClass[second]).toBeLessThan(MIN_HELD_OUT_FOR_STATS);
    expect(model.meta.positionStatsFrom).toEqual({ [first]: 'held-out', [second]: 'training' });
    expect(model.meta.semanticScale).toBe('log-odds');
    model.dispose();
  });

  it('trains on two tfjs threads where compiled steps are turned off', async () => {
    const logs: string[] = [];
    const { model } = await runTrainingJob({ ...(await request(2)), compiledSteps: false }, {}, (line) => logs.push(line));
    expect(logs).toContain('training on 2 tfjs threads');
    expect(model.meta.training.backend).toMatch(/2 training threads/);
    model.dispose();
  });

  it('trains phase 2 of a trainable memory, which has no compiled graph, on two tfjs threads, and says so', async () => {
    const job = await request(2);
    const logs: string[] = [];
    const { model } = await runTrainingJob({ ...job, overrides: { ...job.overrides, memoryTrainable: true } }, {}, (line) =>
      logs.push(line),
    );
    expect(logs).toContain('training on 2 tfjs threads');
    expect(model.meta.training.backend).toMatch(/^phase 1 steps on onnxruntime-node .*; phase 2 on tfjs .*, 2 training threads;/);
    model.dispose();
  });

  it('stops when cancelled during a two-thread step and cleans up', async () => {
    const job = { ...(await request(2)), compiledSteps: false };
    let steps = 0;
    await expect(runTrainingJob(job, { onProgress: () => steps++, shouldCancel: () => steps >= 2 })).rejects.toBeInstanceOf(
      TrainingCancelledError,
    );
    expect(steps).toBe(2);
    expect(readdirSync(job.cacheDir).filter((n) => n.startsWith('training-'))).toEqual([]);
  });

  it('stops when cancelled between compiled steps and cleans up', async () => {
    const job = await request(2);
    let steps = 0;
    await expect(runTrainingJob(job, { onProgress: () => steps++, shouldCancel: () => steps >= 3 })).rejects.toBeInstanceOf(
      TrainingCancelledError,
    );
    expect(steps).toBe(3);
    expect(readdirSync(job.cacheDir).filter((n) => n.startsWith('training-'))).toEqual([]);
  });

  it('stops when cancelled during feature extraction, before any training step', async () => {
    const job = await request(2);
    let steps = 0;
    const logs: string[] = [];
    await expect(
      runTrainingJob(job, { onProgress: () => steps++, shouldCancel: () => true }, (line) => logs.push(line)),
    ).rejects.toBeInstanceOf(TrainingCancelledError);
    expect(steps).toBe(0);
    expect(logs.filter((l) => l.startsWith('features:'))).toHaveLength(1); // stopped within the first product
    expect(logs.some((l) => l.startsWith('training'))).toBe(false);
    expect(readdirSync(job.cacheDir).filter((n) => n.startsWith('training-'))).toEqual([]);
  });

  it("removes the stored features of a job whose process died, and keeps a live one's", async () => {
    const job = await request(1);
    const dead = spawnSync(process.execPath, ['-e', '0']).pid as number; // a pid that has exited
    const abandoned = path.join(job.cacheDir, `training-${dead}-abc`);
    const live = path.join(job.cacheDir, `training-${process.pid}-def`);
    mkdirSync(abandoned, { recursive: true });
    mkdirSync(live, { recursive: true });
    const { model } = await runTrainingJob(job);
    expect(existsSync(abandoned)).toBe(false);
    expect(existsSync(live)).toBe(true);
    model.dispose();
  });
});
