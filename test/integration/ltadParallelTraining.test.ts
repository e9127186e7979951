import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stepGradients, trainLtad } from '../../src/main/engine/ltad/ltadTrainer';
import { TrainingCancelledError } from '../../src/main/engine/ltad/trainingCancelledError';
import { ensureNormalMemory } from '../../src/main/engine/ltad/normalMemory';
import { LtadNetwork } from '../../src/main/engine/ltad/ltadNetwork';
import type { StepWorkers } from '../../src/main/engine/ltad/stepWorkers';
import { createBuiltinTextTower } from '../../src/main/engine/ltad/textTower';
import { openTrainingRows } from '../../src/main/engineAdapters/openTrainingRows';
import { openPhase, closePhase, type StepRequest } from '../../src/main/engine/ltad/trainingSteps';
import { initTfjs, tf } from '../../src/main/engine/tfjsRuntime';
import { startStepWorkers } from '../../src/main/services/training/ltadStepWorkerPool';
import type { StepWorkerInput } from '../../src/main/services/training/ltadStepWorker';
import { expectSameTraining, RECONSTRUCTION_WEIGHTS, TINY_LTAD, tinyPhase2Request, tinyRowsSource } from '../helpers/tinyLtad';

const config = { ...TINY_LTAD, phase1Epochs: 1, phase2Epochs: 2 };
const source = tinyRowsSource();
const input: StepWorkerInput = {
  config,
  classCount: 3,
  foundation: { kind: 'builtin', backbone: 'mobilenetv2' },
  rows: source,
  kernelMode: 'fused',
  lowPriority: false,
};
const network = () => new LtadNetwork(config, 3, createBuiltinTextTower(config.textTower));
const release = (net: LtadNetwork) => {
  net.text.dispose();
  net.dispose();
};
let pool: StepWorkers;

beforeAll(async () => {
  await initTfjs();
  pool = await startStepWorkers(2, input);
}, 60_000);
afterAll(async () => {
  await pool?.close();
});

describe('data-parallel LTAD training', () => {
  it('sums the workers shares to the gradient of the whole batch, in both phases', async () => {
    const rows = openTrainingRows(source);
    const net = network();
    ensureNormalMemory(net, rows);
    for (const phase of ['phase1', 'phase2'] as const) {
      const context = openPhase(net, phase);
      const params = net.parameters(phase);
      await pool.startPhase(
        phase,
        net.store.values(),
        params.map((p) => net.store.nameOf(p)),
        { learningRate: 1e-3 },
      );
      const request: StepRequest =
        phase === 'phase1'
          ? {
              phase,
              klWeight: 0.01,
              items: [0, 4, 9, 12, 16].map((row, i) => ({ row, classIndex: rows.classIndex[row] as number, noiseSeed: 50 + i })),
            }
          : tinyPhase2Request(rows, config.grid);
      const whole = await stepGradients(net, rows, params, context, request);
      const split = await stepGradients(net, rows, params, context, request, pool);
      expect(split.shared).toHaveLength(params.length);
      for (const [term, value] of Object.entries(whole.losses)) expect(split.losses[term]).toBeCloseTo(value, 4);
      let bad = 0;
      whole.grads.forEach((g, i) => {
        const [a, b] = [g.dataSync(), (split.grads[i] as tf.Tensor).dataSync()];
        const scale = Math.max(...a.map(Math.abs));
        let worst = 0;
        a.forEach((v, k) => (worst = Math.max(worst, Math.abs(v - (b[k] as number)))));
        // Relative to the parameter's largest gradient, with a floor for gradients that are all ~0.
        if (worst > 1e-4 * scale + 1e-7) bad++;
      });
      expect(bad).toBe(0);
      const gradientNorm = whole.grads.reduce((sum, g) => sum + (tf.tidy(() => g.square().sum().dataSync()[0]) as number), 0);
      expect(gradientNorm).toBeGreaterThan(0);
      tf.dispose([...whole.grads, ...split.grads]);
      closePhase(context);
    }
    release(net);
    rows.close();
  });

  it('trains to the same weights on three threads as on one, for a seed', async () => {
    const run = async (workers?: StepWorkers) => {
      const net = network();
      const rows = openTrainingRows(source);
      const outcome = await trainLtad(net, rows, {}, workers ? { workers } : {});
      const weights = [...RECONSTRUCTION_WEIGHTS.memory, 'vae/dec/out/w', 'sem/phi1/w', 'names/s'].map((n) =>
        Float32Array.from(net.store.get(n).dataSync()),
      );
      release(net);
      rows.close();
      return { outcome, weights };
    };
    const tensorsBefore = tf.memory().numTensors;
    const one = await run();
    const three = await run(pool);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(one.weights.length).toBeGreaterThanOrEqual(4);
    expectSameTraining(one, three);
  });

  it('stops when cancelled during a multi-worker step, and the workers still answer afterwards', async () => {
    const net = network();
    const rows = openTrainingRows(source);
    let cancel = false;
    let steps = 0;
    const stepping = trainLtad(net, rows, { onProgress: () => steps++, shouldCancel: () => cancel }, { workers: pool });
    setTimeout(() => (cancel = true), 0); // lands while a step is in flight
    await expect(stepping).rejects.toBeInstanceOf(TrainingCancelledError);
    expect(steps).toBeLessThan(5);
    // The pool is left in a state where a new phase can start (the trainer closes it in the job).
    await pool.startPhase('phase1', net.store.values(), [], { learningRate: 1e-3 });
    release(net);
    rows.close();
  });

  it('reports a worker that cannot open its data, instead of hanging', async () => {
    const broken: StepWorkerInput = {
      ...input,
      rows: {
        kind: 'file',
        file: { path: '/nonexistent/fit.f16', count: 1, tokens: 196, dim: 20 },
        classIndex: new Int32Array(1),
        mean: new Float32Array(20),
        std: new Float32Array(20).fill(1),
      },
    };
    await expect(startStepWorkers(1, broken)).rejects.toThrow(/Training helper 0 failed: .*nonexistent/);
  });
});
