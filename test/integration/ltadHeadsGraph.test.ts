import { beforeAll, describe, expect, it } from 'vitest';
import type { LtadConfig } from '../../src/main/engine/ltad/ltadConfig';
import { buildLtadHeadsGraph, headsExportable } from '../../src/main/engine/ltad/ltadHeadsGraph';
import { LTAD_MODEL_FORMAT, LtadModel, type LtadModelMeta } from '../../src/main/engine/ltad/ltadModel';
import { LtadNetwork } from '../../src/main/engine/ltad/ltadNetwork';
import type { SemanticScale } from '../../src/main/engine/ltad/ltadScoring';
import { trainLtad } from '../../src/main/engine/ltad/ltadTrainer';
import { fitPositionStats } from '../../src/main/engine/ltad/positionNormalisation';
import { createBuiltinTextTower } from '../../src/main/engine/ltad/textTower';
import { pooledEmbedding } from '../../src/main/engine/scoring/classPrototypes';
import { seededRandom } from '../../src/main/engine/seededRandom';
import { initTfjs } from '../../src/main/engine/tfjsRuntime';
import { openLtadHeads, type HeadsScores } from '../../src/main/engineAdapters/ltadHeadsSession';
import { OnnxExecutionChoice } from '../../src/main/engineAdapters/onnxExecution';
import { createOrtSession, type OnnxSessionCreator } from '../../src/main/engineAdapters/onnxProviderProbe';
import { TINY_LAYER_CHANNELS, TINY_LTAD, tinyTrainingRows, tinyTrainingTokens } from '../helpers/tinyLtad';

const CLASSES = ['gear', 'plate', 'rare'];
const DIM = TINY_LAYER_CHANNELS.reduce((a, b) => a + b, 0);
const TOKENS = 196;

/**
 * A trained tiny model with everything a station's model has that the heads read: raw-feature
 * normalisation, position statistics, per-product weights.
 */
async function trainedModel(overrides: Partial<LtadConfig> = {}, semanticScale?: SemanticScale): Promise<LtadModel> {
  const config = { ...TINY_LTAD, phase1Epochs: 1, phase2Epochs: 1, ...overrides };
  const net = new LtadNetwork(config, CLASSES.length, createBuiltinTextTower(config.textTower));
  await trainLtad(net, tinyTrainingRows());
  const random = seededRandom(9);
  const normalisation = { mean: Array.from({ length: DIM }, () => random() - 0.5), std: Array.from({ length: DIM }, () => 0.5 + random()) };
  const meta: LtadModelMeta = {
    format: LTAD_MODEL_FORMAT,
    backbone: 'mobilenetv2',
    foundation: { kind: 'builtin', backbone: 'mobilenetv2' },
    taps: ['a', 'b'],
    config,
    classNames: CLASSES,
    normalisation,
    lambda: 0.5,
    ...(semanticScale ? { semanticScale } : {}),
    map: { size: 32, blurSigma: 1, scoreWindow: 4 },
    calibration: {},
    prototypes: { vectors: [], dim: DIM, minSimilarity: [] },
    textTower: 'test',
    training: { backend: 'test', seconds: 0, perPhaseSeconds: {}, nTrainPerClass: {}, nHeldOutPerClass: {} },
  };
  const model = new LtadModel(meta, net);
  const { tokens } = tinyTrainingTokens();
  meta.positionStats = Object.fromEntries(
    CLASSES.map((name) => [
      name,
      fitPositionStats([model.scoreTerms(rawOf(tokens.subarray(0, TOKENS * DIM), normalisation), 1, name)], TOKENS),
    ]),
  );
  meta.semanticWeights = {
    gear: { weight: 0.5, aurocByWeight: {}, views: 8 },
    plate: { weight: 1, aurocByWeight: {}, views: 8 },
    rare: { weight: 0, aurocByWeight: {}, views: 8 },
  };
  return model;
}

/** Raw features whose standardised values are `standardised`. */
function rawOf(standardised: Float32Array, n: { mean: number[]; std: number[] }): Float32Array {
  return standardised.map((v, i) => v * (n.std[i % DIM] as number) + (n.mean[i % DIM] as number));
}

async function runHeads(model: LtadModel, product: string, raw: Float32Array, count: number): Promise<HeadsScores> {
  const heads = openLtadHeads(model, 2);
  if (!heads) throw new Error('not exportable');
  try {
    return await heads.score(raw, count, product);
  } finally {
    await heads.dispose();
  }
}

/** max |a - b| relative to max |b|. */
function relativeError(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
    scale = Math.max(scale, Math.abs(b[i] as number));
  }
  return worst / Math.max(scale, 1e-12);
}

beforeAll(async () => {
  await initTfjs();
});

describe('the LTAD heads as an ONNX graph', () => {
  it('score every product as the tfjs model does: S_rec, S_sem and S within 1e-4 of their largest value', async () => {
    const model = await trainedModel();
    expect(headsExportable(model)).toBe(true);
    const { tokens } = tinyTrainingTokens();
    // Training maps with a shifted block (a defect) and fresh noise, three at once.
    const maps = tokens.slice(0, 3 * TOKENS * DIM).map((v, i) => v + (i % 97 === 0 ? 4 : 0) + Math.sin(i) * 0.1);
    const raw = rawOf(maps, model.meta.normalisation);
    for (const product of CLASSES) {
      const reference = model.scoreTerms(raw, 3, product);
      const combined = model.tokenScores(raw, 3, product);
      const onnx = await runHeads(model, product, raw, 3);
      expect(relativeError(onnx.rec, reference.rec)).toBeLessThan(1e-4);
      expect(relativeError(onnx.sem, reference.sem)).toBeLessThan(1e-4);
      expect(relativeError(onnx.score, combined)).toBeLessThan(1e-4);
      // The tfjs reference of both outputs, and the pooled token by its definition.
      const reference2 = model.referenceHeads(raw, 3, product);
      expect(relativeError(onnx.score, reference2.score)).toBeLessThan(1e-4);
      const standardised = model.standardised(raw);
      const pooled = Array.from({ length: 3 }, (_, k) => [
        ...pooledEmbedding(standardised.subarray(k * TOKENS * DIM, (k + 1) * TOKENS * DIM), TOKENS, DIM),
      ]);
      expect(relativeError(onnx.pooled, Float32Array.from(pooled.flat()))).toBeLessThan(1e-4);
      expect(relativeError(reference2.pooled, Float32Array.from(pooled.flat()))).toBeLessThan(1e-6);
    }
    const heads = openLtadHeads(model, 1);
    await expect(heads?.score(raw, 3, 'unknown')).rejects.toThrow(/does not know the product "unknown"/);
    await expect(heads?.score(raw, 2, 'gear')).rejects.toThrow(/expected 2 x 196/);
    await heads?.dispose();
    model.dispose();
  });

  it('give S_sem as its log-odds where the model expresses it so, on tfjs and ONNX alike', async () => {
    const model = await trainedModel({}, 'log-odds');
    const asProbability = new LtadModel({ ...model.meta, semanticScale: 'probability' }, model.network);
    const raw = rawOf(tinyTrainingTokens().tokens.slice(0, 2 * TOKENS * DIM), model.meta.normalisation);
    for (const product of CLASSES) {
      const logOdds = model.scoreTerms(raw, 2, product).sem;
      const probability = asProbability.scoreTerms(raw, 2, product).sem;
      const fromProbability = probability.map((p) => Math.log(p / (1 - p)));
      expect(relativeError(logOdds, fromProbability)).toBeLessThan(1e-3);
      const onnx = await runHeads(model, product, raw, 2);
      // The graph takes one product with the prompts' difference, tfjs two and subtracts: float rounding.
      expect(relativeError(onnx.sem, logOdds)).toBeLessThan(5e-4);
      expect(relativeError(onnx.score, model.tokenScores(raw, 2, product))).toBeLessThan(5e-4);
    }
    model.dispose();
  });

  it('give S_sem no say under the no-semantic ablation', async () => {
    const model = await trainedModel({ ablation: 'no-semantic' });
    const raw = rawOf(tinyTrainingTokens().tokens.slice(0, TOKENS * DIM), model.meta.normalisation);
    const onnx = await runHeads(model, 'plate', raw, 1);
    expect([...onnx.sem].every((v) => v === 0)).toBe(true);
    expect(relativeError(onnx.score, model.tokenScores(raw, 1, 'plate'))).toBeLessThan(1e-4);
    model.dispose();
  });

  it('fall back to CPU with the same scores when the chosen GPU provider refuses their graph, and say so', async () => {
    const model = await trainedModel();
    const raw = rawOf(tinyTrainingTokens().tokens.slice(0, TOKENS * DIM), model.meta.normalisation);
    // CUDA chosen at start (its probe passed), as on a GPU station.
    const choice = new OnnxExecutionChoice(
      () => ({ order: ['cuda', 'cpu'], passedOver: [] }),
      async () => {},
      () => {},
    );
    // As onnxruntime answers where the CUDA provider's libraries load but the GPU driver is too old.
    const create: OnnxSessionCreator = async (graph, options) => {
      if (options.executionProviders?.[0] === 'cuda') throw new Error('CUDA failure 35: CUDA driver version is insufficient');
      return createOrtSession(graph, options);
    };
    const heads = openLtadHeads(model, 1, { choice, create });
    expect(heads?.runtimeDetail).toMatch(/ cuda \(to be tried at the first session\), 1 threads$/);
    const scores = await heads?.score(raw, 1, 'gear');
    expect(relativeError(scores?.score as Float32Array, model.tokenScores(raw, 1, 'gear'))).toBeLessThan(1e-4);
    expect(heads?.runtimeDetail).toMatch(
      /^onnxruntime-node \S+ cpu \(cuda failed: CUDA failure 35: CUDA driver version is insufficient\), 1 threads$/,
    );
    await heads?.dispose();
    model.dispose();
  });

  it('are not built for models the graph does not cover (the transformer recipe keeps its tfjs heads)', async () => {
    const model = await trainedModel({ reconstruction: 'transformer' });
    expect(headsExportable(model)).toBe(false);
    expect(openLtadHeads(model)).toBeUndefined();
    expect(() => buildLtadHeadsGraph(model, 'gear')).toThrow(/Only memory-reconstruction models/);
    model.dispose();
  });
});
