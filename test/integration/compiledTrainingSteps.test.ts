import { beforeAll, describe, expect, it } from 'vitest';
import { CompiledPhase } from '../../src/main/engine/ltad/compiledSteps';
import { trainLtad } from '../../src/main/engine/ltad/ltadTrainer';
import type { LtadConfig } from '../../src/main/engine/ltad/ltadConfig';
import { LtadNetwork } from '../../src/main/engine/ltad/ltadNetwork';
import { ensureNormalMemory } from '../../src/main/engine/ltad/normalMemory';
import { createBuiltinTextTower, createClipShapedTextTower, type TextTower } from '../../src/main/engine/ltad/textTower';
import { closePhase, openPhase, shareGradients, type StepRequest } from '../../src/main/engine/ltad/trainingSteps';
import type { TrainingRows } from '../../src/main/engine/ltad/trainingRows';
import { initTfjs, tf } from '../../src/main/engine/tfjsRuntime';
import { onnxStepCompiler } from '../../src/main/engineAdapters/onnxStepCompiler';
import { expectSameTraining, RECONSTRUCTION_WEIGHTS, TINY_LTAD, tinyPhase2Request, tinyTrainingRows } from '../helpers/tinyLtad';

beforeAll(async () => {
  await initTfjs();
});

function phase1Request(rows: TrainingRows): StepRequest {
  const picked = [0, 3, 5, rows.count - 1].filter((r, i, all) => all.indexOf(r) === i);
  return {
    phase: 'phase1',
    klWeight: 0.004,
    items: picked.map((row, i) => ({ row, classIndex: rows.classIndex[row] as number, noiseSeed: 50 + i })),
  };
}

/**
 * Parameters whose gradients differ by more than 1e-4 of that parameter's largest tfjs gradient,
 * with a floor for gradients that are ~0 in theory (a key bias under softmax).
 */
function mismatchedParameters(reference: tf.Tensor[], compiled: tf.Tensor[]): number[] {
  return reference.flatMap((g, i) => {
    const [a, b] = [g.dataSync(), (compiled[i] as tf.Tensor).dataSync()];
    let [scale, worst] = [0, 0];
    a.forEach((v, k) => {
      scale = Math.max(scale, Math.abs(v));
      worst = Math.max(worst, Math.abs(v - (b[k] as number)));
    });
    return worst > 1e-4 * scale + 1e-7 ? [i] : [];
  });
}

const CASES: [string, 'phase1' | 'phase2', Partial<LtadConfig>][] = [
  ['transformer', 'phase2', { reconstruction: 'transformer' }],
  ['frozen memory', 'phase2', { reconstruction: 'memory', memoryTrainable: false }],
  ['transformer, no-semantic', 'phase2', { reconstruction: 'transformer', ablation: 'no-semantic' }],
  ['frozen memory, direct-classifier', 'phase2', { reconstruction: 'memory', ablation: 'direct-classifier' }],
  ['the VAE and the pseudo-names', 'phase1', {}],
  ['the VAE alone (no-names)', 'phase1', { ablation: 'no-names' }],
  ['the VAE of a single product', 'phase1', { classCount: 1 } as Partial<LtadConfig>],
  ['a pack-shaped text tower (its own word order, 2 layers)', 'phase1', { packTower: true } as Partial<LtadConfig>],
];

/** A CLIP-shaped tower as a foundation pack brings one: more words, in an order of its own. */
function packShapedTower(config: LtadConfig): TextTower {
  return createClipShapedTextTower({
    config: { ...config.textTower, layers: 2, seed: 17 },
    vocabulary: ['<eos>', 'screw', 'object', 'a', '<sos>', 'broken', 'cable'],
    kind: 'clip-pack',
    description: 'test tower',
  });
}

describe('training steps as compiled onnxruntime graphs', () => {
  it.each(CASES)('gives the loss and gradients tfjs gives (%s, %s)', async (_, phase, overrides) => {
    const { classCount = 3, packTower = false, ...rest } = overrides as Partial<LtadConfig> & { classCount?: number; packTower?: boolean };
    const config = { ...TINY_LTAD, ...rest } as LtadConfig;
    const rows = tinyTrainingRows(classCount === 1 ? [6] : undefined);
    const net = new LtadNetwork(config, classCount, packTower ? packShapedTower(config) : createBuiltinTextTower(config.textTower));
    ensureNormalMemory(net, rows);
    const context = openPhase(net, phase);
    const params = net.parameters(phase);
    // Move the weights off their initial values (zero biases, unit gains) so every term matters.
    tf.tidy(() => {
      for (const p of params) p.assign(p.add(tf.randomNormal(p.shape, 0, 0.05, 'float32', 9)));
    });
    const compiled = CompiledPhase.open(net, await onnxStepCompiler(2), rows, phase, params, context);
    if (!compiled) throw new Error('no compiled graph');
    const request = phase === 'phase1' ? phase1Request(rows) : tinyPhase2Request(rows, config.grid);
    const reference = shareGradients(net, rows, params, context, request, 1);
    const before = tf.memory().numTensors;
    const fromGraph = await compiled.gradients(request);
    expect(Object.keys(fromGraph.losses).sort()).toEqual(Object.keys(reference.losses).sort());
    for (const [term, value] of Object.entries(reference.losses)) expect(fromGraph.losses[term]).toBeCloseTo(value, 4);
    expect(mismatchedParameters(reference.grads, fromGraph.grads)).toEqual([]);
    tf.dispose(fromGraph.grads);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(reference.grads);
    await compiled.dispose();
    closePhase(context);
    net.text.dispose();
    net.dispose();
  });

  it.each(['transformer', 'memory'] as const)(
    'trains to the weights tfjs trains to, for a seed, and leaks no tensor over every step (%s recipe)',
    async (recipe) => {
      const config = { ...TINY_LTAD, reconstruction: recipe, phase1Epochs: 3, phase2Epochs: 4 } as LtadConfig;
      const compiler = await onnxStepCompiler(2);
      const run = async (compiled: boolean) => {
        const net = new LtadNetwork(config, 3, createBuiltinTextTower(config.textTower));
        const rows = tinyTrainingRows();
        const outcome = await trainLtad(net, rows, {}, compiled ? { compiler } : {});
        const names = [...RECONSTRUCTION_WEIGHTS[recipe], 'vae/dec/out/w', 'vae/enc/in/w', 'sem/phi1/w', 'names/s'];
        const weights = names.map((n) => Float32Array.from(net.store.get(n).dataSync()));
        net.text.dispose();
        net.dispose();
        rows.close();
        return { outcome, weights };
      };
      const before = tf.memory().numTensors;
      const reference = await run(false);
      const compiled = await run(true);
      expect(tf.memory().numTensors).toBe(before);
      expectSameTraining(reference, compiled);
    },
    60_000,
  );

  it('is refused for a trainable memory, which trains on tfjs', async () => {
    const config = { ...TINY_LTAD, reconstruction: 'memory', memoryTrainable: true } as LtadConfig;
    const net = new LtadNetwork(config, 3, createBuiltinTextTower(config.textTower));
    const rows = tinyTrainingRows();
    expect(CompiledPhase.open(net, await onnxStepCompiler(1), rows, 'phase2', [], {})).toBeUndefined();
    net.text.dispose();
    net.dispose();
  });
});
