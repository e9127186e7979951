import { OnnxGraphBuilder } from '../onnx/onnxGraphBuilder';
import { tf } from '../tfjsRuntime';
import type { LtadModel } from './ltadModel';
import type { PositionStats } from './positionNormalisation';
import {
  CELL_COST_PARAMETER,
  CELLS_PARAMETER,
  CHANNEL_SCALE_PARAMETER,
  LOG_TEMPERATURE_PARAMETER,
  MEMORY_PARAMETER,
} from './memoryReconstruction';

/** The heads graph's input and outputs (docs/ARCHITECTURE.md, Inference). */
export const HEADS_INPUT = 'tokens';
export const HEADS_OUTPUTS = { rec: 'rec', sem: 'sem', score: 'score', pooled: 'pooled' } as const;

/** Bumped when the graph changes; part of the cache key of a built graph. */
export const HEADS_GRAPH_VERSION = 2;

/**
 * Whether the heads of this model can run as an ONNX graph: the memory reconstruction with
 * per-position statistics (every model trained since they exist). Older models keep the tfjs heads.
 */
export function headsExportable(model: LtadModel): boolean {
  const { config } = model.meta;
  return config.reconstruction === 'memory' && model.meta.positionStats !== undefined && model.network.store.has(MEMORY_PARAMETER);
}

function values(t: tf.Tensor): Float32Array {
  return Float32Array.from(t.dataSync() as Float32Array);
}

/**
 * One product's LTAD heads as an ONNX graph (opset 13): raw token maps [n, T, dim] in; S_rec, S_sem
 * and the combined per-token score S [n, T] out, and each image's mean standardised token [n, dim]
 * for the prototype check (classPrototypes.ts, pooledEmbedding); exactly the tfjs model's scoreTerms and
 * tokenScores for that product (LtadModel). Everything that depends only on the product is folded
 * into constants here: its memory (scaled and transposed), the entries' squared norms, the
 * displacement costs of every token position, the softmax temperature, the prompt difference t_a -
 * t_n (softmax over two logits is the sigmoid of their difference), its position statistics and
 * its semantic weight.
 */
export function buildLtadHeadsGraph(model: LtadModel, product: string): Uint8Array {
  if (!headsExportable(model)) throw new Error('Only memory-reconstruction models with position statistics export their heads');
  const p = model.classIndex(product);
  const stats = model.meta.positionStats?.[product];
  if (!stats) throw new Error(`Position statistics of ${product} are missing`);
  const tokens = model.meta.config.grid * model.meta.config.grid;
  const g = new OnnxGraphBuilder();
  g.addInput(HEADS_INPUT, ['n', tokens, model.network.dim]);
  addStandardisation(g, model);
  addMemoryMatch(g, model, p, tokens);
  addSemanticBranch(g, model, p);
  addCombinedScore(g, stats, model.semanticWeightOf(product));
  g.addNode('ReduceMean', 'pool', ['x'], [HEADS_OUTPUTS.pooled], { axes: [1], keepdims: 0 });
  for (const output of [HEADS_OUTPUTS.rec, HEADS_OUTPUTS.sem, HEADS_OUTPUTS.score]) g.addOutput(output, ['n', tokens]);
  g.addOutput(HEADS_OUTPUTS.pooled, ['n', model.network.dim]);
  const description = `LTAD heads of ${product} (model format ${model.meta.format}, heads graph ${HEADS_GRAPH_VERSION})`;
  return g.toModel({ graph: 'ltad_heads', description, producer: 'qa-station ltad-heads', producerVersion: String(HEADS_GRAPH_VERSION) });
}

/** x = (raw - mean) / std, as the model standardises its token maps. */
function addStandardisation(g: OnnxGraphBuilder, model: LtadModel): void {
  const dim = model.network.dim;
  g.addFloatInitializer('mean', [dim], Float32Array.from(model.meta.normalisation.mean));
  g.addFloatInitializer(
    'inv_std',
    [dim],
    Float32Array.from(model.meta.normalisation.std, (s) => 1 / s),
  );
  g.addNode('Sub', 'centre', [HEADS_INPUT, 'mean'], ['centred']);
  g.addNode('Mul', 'standardise', ['centred', 'inv_std'], ['x']);
}

/**
 * S_rec: the product's memory matched by appearance plus place, softmax-mixed at the model's
 * temperature, and the scaled reconstruction error plus the place cost of the mix
 * (memoryReconstruction.ts, memoryReconstructionError).
 */
function addMemoryMatch(g: OnnxGraphBuilder, model: LtadModel, p: number, tokens: number): void {
  const store = model.network.store;
  const dim = model.network.dim;
  const constant = (name: string, dims: number[], data: Float32Array) => g.addFloatInitializer(name, dims, data);
  const [memory, scale, own] = tf.tidy(() => {
    const all = store.get(MEMORY_PARAMETER);
    const mine = all.slice([p, 0, 0], [1, -1, -1]).reshape([all.shape[1] as number, dim]);
    const s = store.has(CHANNEL_SCALE_PARAMETER) ? store.get(CHANNEL_SCALE_PARAMETER).reshape([dim]) : tf.ones([dim]);
    return [mine, s, mine.mul(s)];
  });
  const size = memory.shape[0] as number;
  const [ownT, ownNorms] = tf.tidy(() => [own.transpose(), own.square().sum(-1)]);
  constant('scale', [dim], values(scale));
  constant('memory', [size, dim], values(memory));
  constant('memory_scaled_t', [dim, size], values(ownT));
  constant('memory_norms', [size], values(ownNorms));
  const displacement = displacementCosts(model, p, tokens, size);
  tf.dispose([memory, scale, own, ownT, ownNorms]);

  // Appearance distance per entry: (|xs|^2 + |ms|^2 - 2 xs.ms) / dim, plus the place cost.
  g.addInt64Initializer('last_axis', [-1]);
  constant('minus_two', [1], Float32Array.of(-2));
  constant('inv_dim', [1], Float32Array.of(1 / dim));
  g.addNode('Mul', 'scale_x', ['x', 'scale'], ['xs']);
  g.addNode('ReduceSumSquare', 'x_norms', ['xs'], ['xx'], { axes: [-1], keepdims: 1 });
  g.addNode('MatMul', 'cross', ['xs', 'memory_scaled_t'], ['cross']);
  g.addNode('Mul', 'cross_twice', ['cross', 'minus_two'], ['cross2']);
  g.addNode('Add', 'plus_x_norms', ['cross2', 'xx'], ['d1']);
  g.addNode('Add', 'plus_memory_norms', ['d1', 'memory_norms'], ['d2']);
  g.addNode('Mul', 'per_channel', ['d2', 'inv_dim'], ['appearance']);
  let distances = 'appearance';
  if (displacement) {
    constant('displacement', [tokens, size], displacement);
    g.addNode('Add', 'plus_place', ['appearance', 'displacement'], ['distances']);
    distances = 'distances';
  }
  // The learnable factor starts at exp(0) and exists only once something used or trained it (memoryReconstruction.ts).
  const logFactor = store.has(LOG_TEMPERATURE_PARAMETER) ? (store.get(LOG_TEMPERATURE_PARAMETER).dataSync()[0] as number) : 0;
  const temperature = model.meta.config.memoryTemperature * Math.exp(logFactor);
  constant('neg_inv_temperature', [1], Float32Array.of(-1 / temperature));
  g.addNode('Mul', 'logits', [distances, 'neg_inv_temperature'], ['logits']);
  g.addNode('Softmax', 'match', ['logits'], ['weights'], { axis: -1 });
  g.addNode('MatMul', 'reconstruct', ['weights', 'memory'], ['reconstruction']);
  g.addNode('Sub', 'difference', ['reconstruction', 'x'], ['difference']);
  g.addNode('Mul', 'scale_difference', ['difference', 'scale'], ['scaled_difference']);
  g.addNode('ReduceSumSquare', 'error_sum', ['scaled_difference'], ['error_sum'], { axes: [-1], keepdims: 0 });
  g.addNode('Mul', 'error_mean', ['error_sum', 'inv_dim'], [displacement ? 'error' : HEADS_OUTPUTS.rec]);
  if (displacement) {
    g.addNode('Mul', 'weighted_place', ['weights', 'displacement'], ['weighted_place']);
    g.addNode('ReduceSum', 'place_cost', ['weighted_place', 'last_axis'], ['place_cost'], { keepdims: 0 });
    g.addNode('Add', 'rec', ['error', 'place_cost'], [HEADS_OUTPUTS.rec]);
  }
}

/** S = z(S_rec) + w z(S_sem), each term a z-score against the product's training images at that position. */
function addCombinedScore(g: OnnxGraphBuilder, stats: PositionStats, weight: number): void {
  const tokens = stats.recMean.length;
  g.addFloatInitializer('rec_mean', [tokens], Float32Array.from(stats.recMean));
  g.addFloatInitializer(
    'rec_inv_std',
    [tokens],
    Float32Array.from(stats.recStd, (s) => 1 / s),
  );
  g.addFloatInitializer('sem_mean', [tokens], Float32Array.from(stats.semMean));
  g.addFloatInitializer(
    'sem_weight_inv_std',
    [tokens],
    Float32Array.from(stats.semStd, (s) => weight / s),
  );
  g.addNode('Sub', 'rec_centre', [HEADS_OUTPUTS.rec, 'rec_mean'], ['rec_centred']);
  g.addNode('Mul', 'rec_z', ['rec_centred', 'rec_inv_std'], ['rec_z']);
  g.addNode('Sub', 'sem_centre', [HEADS_OUTPUTS.sem, 'sem_mean'], ['sem_centred']);
  g.addNode('Mul', 'sem_z', ['sem_centred', 'sem_weight_inv_std'], ['sem_z']);
  g.addNode('Add', 'score', ['rec_z', 'sem_z'], [HEADS_OUTPUTS.score]);
}

/** [T, size]: each entry's squared grid distance from every token cell times the product's cell cost (memoryReconstruction.ts). */
function displacementCosts(model: LtadModel, p: number, tokens: number, size: number): Float32Array | undefined {
  const store = model.network.store;
  if (!store.has(CELLS_PARAMETER)) return undefined;
  const cells = store.get(CELLS_PARAMETER).dataSync() as Float32Array;
  const cost = store.get(CELL_COST_PARAMETER).dataSync()[p] as number;
  const grid = Math.round(Math.sqrt(tokens));
  const out = new Float32Array(tokens * size);
  for (let t = 0; t < tokens; t++) {
    const [column, row] = [t % grid, Math.floor(t / grid)];
    for (let s = 0; s < size; s++) {
      const dx = column - (cells[(p * size + s) * 2] as number);
      const dy = row - (cells[(p * size + s) * 2 + 1] as number);
      out[t * size + s] = (dx * dx + dy * dy) * cost;
    }
  }
  return out;
}

/**
 * S_sem = P(abnormal) = sigmoid(v . (t_a - t_n)), or its log-odds v . (t_a - t_n) (the model's
 * semanticScale), v the max over layers of each layer's projection (LtadNetwork.semanticLogits);
 * zero for the no-semantic ablation.
 */
function addSemanticBranch(g: OnnxGraphBuilder, model: LtadModel, p: number): void {
  const { config } = model.meta;
  const store = model.network.store;
  if (config.ablation === 'no-semantic') {
    g.addFloatInitializer('zero', [1], Float32Array.of(0));
    g.addNode('ReduceSumSquare', 'sem_none_sum', ['x'], ['sem_none'], { axes: [-1], keepdims: 0 });
    g.addNode('Mul', 'sem', ['sem_none', 'zero'], [HEADS_OUTPUTS.sem]);
    return;
  }
  let offset = 0;
  const projected = config.layerChannels.map((channels, l) => {
    g.addInt64Initializer(`phi${l}/starts`, [offset]);
    g.addInt64Initializer(`phi${l}/ends`, [offset + channels]);
    g.addInt64Initializer(`phi${l}/axes`, [2]);
    offset += channels;
    const weight = store.get(`sem/phi${l}/w`);
    g.addFloatInitializer(`phi${l}/w`, weight.shape as number[], Float32Array.from(weight.dataSync() as Float32Array));
    g.addFloatInitializer(
      `phi${l}/b`,
      store.get(`sem/phi${l}/b`).shape as number[],
      Float32Array.from(store.get(`sem/phi${l}/b`).dataSync() as Float32Array),
    );
    g.addNode('Slice', `phi${l}/slice`, ['x', `phi${l}/starts`, `phi${l}/ends`, `phi${l}/axes`], [`phi${l}/in`]);
    g.addNode('MatMul', `phi${l}/product`, [`phi${l}/in`, `phi${l}/w`], [`phi${l}/linear`]);
    g.addNode('Add', `phi${l}/bias`, [`phi${l}/linear`, `phi${l}/b`], [`phi${l}/out`]);
    return `phi${l}/out`;
  });
  if (projected.length > 1) g.addNode('Max', 'layers_max', projected, ['v']);
  const v = projected.length > 1 ? 'v' : (projected[0] as string);
  const prompts = model.promptsOf(p); // [2, textDim]: t_n, t_a
  const textDim = prompts.length / 2;
  g.addFloatInitializer(
    'prompt_difference',
    [textDim, 1],
    Float32Array.from({ length: textDim }, (_, i) => (prompts[textDim + i] as number) - (prompts[i] as number)),
  );
  g.addNode('MatMul', 'sem_logit', [v, 'prompt_difference'], ['sem_logit']);
  const logOdds = model.meta.semanticScale === 'log-odds';
  if (!logOdds) g.addNode('Sigmoid', 'sem_probability', ['sem_logit'], ['sem_column']);
  g.addInt64Initializer('sem_squeeze_axes', [2]);
  g.addNode('Squeeze', 'sem', [logOdds ? 'sem_logit' : 'sem_column', 'sem_squeeze_axes'], [HEADS_OUTPUTS.sem]);
}
