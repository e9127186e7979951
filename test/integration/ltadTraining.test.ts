import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LtadConfig } from '../../src/main/engine/ltad/ltadConfig';
import { LTAD_MODEL_FORMAT, LtadModel, type LtadModelMeta } from '../../src/main/engine/ltad/ltadModel';
import { LtadNetwork } from '../../src/main/engine/ltad/ltadNetwork';
import { trainLtad } from '../../src/main/engine/ltad/ltadTrainer';
import { TrainingCancelledError } from '../../src/main/engine/ltad/trainingCancelledError';
import { readModelDirectory, writeModelDirectory } from '../../src/main/engineAdapters/modelDirectory';
import { openLtadModel } from '../../src/main/engineAdapters/openLtadModel';
import { createBuiltinTextTower } from '../../src/main/engine/ltad/textTower';
import { setKernelMode } from '../../src/main/engine/tensorKernels/kernelMode';
import { initTfjs, tf } from '../../src/main/engine/tfjsRuntime';
import { useTempDirs } from '../helpers/tempDir';
import {
  expectSameTraining,
  RECONSTRUCTION_WEIGHTS,
  TINY_LAYER_CHANNELS,
  TINY_LTAD,
  tinyTrainingRows,
  tinyTrainingTokens,
} from '../helpers/tinyLtad';

const tempDir = useTempDirs();
const layerChannels = TINY_LAYER_CHANNELS;
const tiny = TINY_LTAD;
const trainingSet = tinyTrainingRows;
const trainingTokens = tinyTrainingTokens;

function meta(config: LtadConfig): LtadModelMeta {
  const dim = layerChannels.reduce((a, b) => a + b, 0);
  return {
    format: LTAD_MODEL_FORMAT,
    backbone: 'mobilenetv2',
    foundation: { kind: 'builtin', backbone: 'mobilenetv2' },
    taps: ['a', 'b'],
    config,
    classNames: ['gear', 'plate', 'rare'],
    normalisation: { mean: Array(dim).fill(0), std: Array(dim).fill(1) },
    lambda: 0.5,
    map: { size: 32, blurSigma: 1, scoreWindow: 4 },
    calibration: {},
    prototypes: { vectors: [], dim, minSimilarity: [] },
    textTower: 'test',
    training: { backend: 'test', seconds: 0, perPhaseSeconds: {}, nTrainPerClass: {}, nHeldOutPerClass: {} },
  };
}

beforeAll(async () => {
  await initTfjs();
});

describe('LTAD training', () => {
  it('trains both phases with finite losses and no tensor leak across epochs', async () => {
    const net = new LtadNetwork(tiny, 3, createBuiltinTextTower(tiny.textTower));
    const namesBefore = net.names.dataSync().slice();
    const tensorsAtEpochEnd: Record<string, number[]> = { phase1: [], phase2: [] };
    const stepsPerEpoch = Math.ceil(17 / tiny.batchSize);
    const runSteps: [number, number][] = [];
    const outcome = await trainLtad(net, trainingSet(), {
      onProgress: (e) => {
        expect(Object.values(e.losses).every(Number.isFinite)).toBe(true);
        if (e.step % stepsPerEpoch === 0) tensorsAtEpochEnd[e.phase]?.push(tf.memory().numTensors);
        runSteps.push([e.runStep, e.runSteps]);
      },
    });
    // One count for the whole run: phase 2's steps follow phase 1's, toward one total.
    expect(runSteps.map(([step]) => step)).toEqual(runSteps.map((_, i) => i + 1));
    expect(new Set(runSteps.map(([, total]) => total))).toEqual(new Set([runSteps.length]));
    expect(tensorsAtEpochEnd.phase1).toHaveLength(2);
    expect(tensorsAtEpochEnd.phase2).toHaveLength(3);
    for (const counts of Object.values(tensorsAtEpochEnd)) expect(new Set(counts).size).toBe(1);
    expect(outcome.finalLosses.phase2.sem).toBeGreaterThan(0); // the default memory is frozen: phase 2 trains the semantic branch
    // Phase 1 moved the pseudo-names away from their "object" initialisation.
    const namesAfter = net.names.dataSync();
    expect(namesAfter.some((v, i) => Math.abs(v - (namesBefore[i] as number)) > 1e-6)).toBe(true);
    net.text.dispose();
    net.dispose();
  });

  it.each(['memory', 'transformer'] as const)('is deterministic for a seed (%s reconstruction)', async (reconstruction) => {
    const run = async () => {
      const net = new LtadNetwork({ ...tiny, reconstruction, phase1Epochs: 1, phase2Epochs: 1 }, 3, createBuiltinTextTower(tiny.textTower));
      const outcome = await trainLtad(net, trainingSet());
      const values = RECONSTRUCTION_WEIGHTS[reconstruction].flatMap((name) => [...net.store.get(name).dataSync()]);
      net.text.dispose();
      net.dispose();
      return { losses: outcome.finalLosses, values };
    };
    const [a, b] = [await run(), await run()];
    expect(a.losses).toEqual(b.losses);
    expect(a.values).toEqual(b.values);
  });

  it.each(['memory', 'transformer'] as const)(
    'trains to the same weights with the fast kernels as with the reference kernels (%s reconstruction)',
    async (reconstruction) => {
      const run = async (mode: 'fused' | 'reference') => {
        setKernelMode(mode);
        try {
          const net = new LtadNetwork(
            { ...tiny, reconstruction, phase1Epochs: 1, phase2Epochs: 1 },
            3,
            createBuiltinTextTower(tiny.textTower),
          );
          const outcome = await trainLtad(net, trainingSet());
          const weights = [...RECONSTRUCTION_WEIGHTS[reconstruction], 'vae/dec/out/w', 'sem/phi1/w'].map((name) =>
            net.store.get(name).dataSync().slice(),
          );
          const names = net.names.dataSync().slice();
          net.text.dispose();
          net.dispose();
          return { outcome, weights: [...weights, names].map((w) => Float32Array.from(w)) };
        } finally {
          setKernelMode('fused');
        }
      };
      const [fast, reference] = [await run('fused'), await run('reference')];
      expectSameTraining(reference, fast);
    },
  );

  it('trains a station that has a single product', async () => {
    const net = new LtadNetwork({ ...tiny, phase1Epochs: 1, phase2Epochs: 1 }, 1, createBuiltinTextTower(tiny.textTower));
    const outcome = await trainLtad(net, trainingSet([6]));
    expect(Object.values(outcome.finalLosses.phase1).every(Number.isFinite)).toBe(true);
    expect(outcome.finalLosses.phase2.sem).toBeGreaterThan(0); // the default memory is frozen: phase 2 trains the semantic branch
    net.text.dispose();
    net.dispose();
  });

  it('stops when cancelled, between steps', async () => {
    const net = new LtadNetwork(tiny, 3, createBuiltinTextTower(tiny.textTower));
    let steps = 0;
    await expect(trainLtad(net, trainingSet(), { onProgress: () => steps++, shouldCancel: () => steps >= 3 })).rejects.toBeInstanceOf(
      TrainingCancelledError,
    );
    expect(steps).toBe(3);
    net.text.dispose();
    net.dispose();
  });
});

describe('LTAD model files', () => {
  it('round-trips through the model directory with identical scores, and refuses a damaged file', async () => {
    const config = { ...tiny, phase1Epochs: 1, phase2Epochs: 1 };
    const net = new LtadNetwork(config, 3, createBuiltinTextTower(config.textTower));
    await trainLtad(net, trainingSet());
    const model = new LtadModel(meta(config), net);
    const one = trainingTokens().tokens.subarray(0, 196 * 20);
    const before = model.tokenScores(one, 1, 'plate');
    const dir = path.join(tempDir(), 'models', 'v1');
    const hashes = writeModelDirectory(dir, model.meta, model.weights());
    const { meta: readMeta, weights } = readModelDirectory(dir, hashes);
    const loaded = openLtadModel(readMeta, weights);
    expect([...loaded.tokenScores(one, 1, 'plate')]).toEqual([...before]);
    expect(loaded.pseudoNames()).toEqual(model.pseudoNames());
    expect(() => loaded.tokenScores(one, 1, 'unknown')).toThrow(/does not know the product "unknown"/);
    expect(() => writeModelDirectory(dir, model.meta, model.weights())).toThrow(/exists already/);
    const bin = path.join(dir, 'weights.bin');
    const bytes = readFileSync(bin);
    bytes[100] = (bytes[100] as number) ^ 0xff;
    writeFileSync(bin, bytes);
    expect(() => readModelDirectory(dir, hashes)).toThrow(/does not match its recorded hash/);
    model.dispose();
    loaded.dispose();
  });
});

describe('LTAD step budget', () => {
  it('stops each phase at its step budget when that comes before the epochs', async () => {
    const net = new LtadNetwork(
      { ...tiny, phase1Epochs: 5, phase2Epochs: 5, phase1MaxSteps: 3, phase2MaxSteps: 2 },
      3,
      createBuiltinTextTower(tiny.textTower),
    );
    const last: Record<string, { step: number; steps: number; epochs: number }> = {};
    await trainLtad(net, trainingSet(), { onProgress: (e) => (last[e.phase] = e) });
    expect(last.phase1).toMatchObject({ step: 3, steps: 3, epochs: 1 });
    expect(last.phase2).toMatchObject({ step: 2, steps: 2, epochs: 1 });
    net.text.dispose();
    net.dispose();
  });
});

describe('LTAD phase 2 with the memory recipe', () => {
  it('trains the memory only when asked, and skips phase 2 when nothing is left to learn', async () => {
    const run = async (overrides: Partial<LtadConfig>) => {
      const net = new LtadNetwork({ ...tiny, phase1Epochs: 1, phase2Epochs: 1, ...overrides }, 3, createBuiltinTextTower(tiny.textTower));
      const rows = trainingSet();
      let phase2Steps = 0;
      const outcome = await trainLtad(net, rows, { onProgress: (e) => (phase2Steps += e.phase === 'phase2' ? 1 : 0) });
      const names = net.parameters('phase2').map((p) => net.store.nameOf(p));
      net.text.dispose();
      net.dispose();
      return { outcome, phase2Steps, names };
    };
    const frozen = await run({});
    expect(frozen.names.some((n) => n.startsWith('rm/'))).toBe(false);
    expect(Object.keys(frozen.outcome.finalLosses.phase2)).toEqual(['total', 'sem']);
    const trained = await run({ memoryTrainable: true });
    expect(trained.names).toContain('rm/memory');
    expect(trained.outcome.finalLosses.phase2.rec).toBeGreaterThan(0);
    const nothing = await run({ ablation: 'no-semantic' });
    expect(nothing.phase2Steps).toBe(0);
  });
});
