import { DifferentiableGraph, type GraphValue } from '../onnx/differentiableGraph';
import { attention, dense, feedForward, gradientOutput, type LayerGraph, layerNorm, parameterLayers } from './graphLayers';
import type { LtadConfig } from './ltadConfig';
import type { LtadNetwork } from './ltadNetwork';
import { neighbourMaskValues } from './networkLayers';

/** The data inputs of a compiled phase-2 step (trainingSteps.ts, phase2Inputs). */
export const PHASE2_INPUTS = {
  clean: 'clean',
  noisy: 'noisy',
  labels: 'labels',
  /** Each sample's class prompts [t_n, t_a], transposed: [b, textDim, 2]. */
  prompts: 'class_prompts',
  /** One-hot class rows [b, classCount], for the direct-classifier ablation. */
  classRows: 'class_rows',
} as const;

export const PHASE2_LOSS_OUTPUTS = ['total', 'rec', 'sem'] as const;

/** Whether phase 2 of this network has a compiled graph; the others train on tfjs alone. */
export function phase2Compilable(config: Pick<LtadConfig, 'reconstruction' | 'memoryTrainable'>): boolean {
  return config.reconstruction !== 'memory' || !config.memoryTrainable;
}

/** The loss terms phase 2 of this network has besides the total (trainingSteps.ts phase2Loss). */
export function phase2LossTerms(net: LtadNetwork): ('rec' | 'sem')[] {
  return [...(net.trainsReconstruction ? (['rec'] as const) : []), ...(net.config.ablation === 'no-semantic' ? [] : (['sem'] as const))];
}

/** ltadNetwork.ts transformerReconstruct. */
function transformerReconstruct(b: LayerGraph, net: LtadNetwork, x: GraphValue, mask: GraphValue): GraphValue {
  const { g } = b;
  const { heads, encoderLayers, decoderLayers } = net.config;
  const pos = b.weight('rm/pos');
  let h = g.add(dense(b, 'rm/in', x), pos);
  for (let l = 0; l < encoderLayers; l++) {
    const normed = layerNorm(b, `rm/enc${l}/ln1`, h);
    h = g.add(h, attention(b, `rm/enc${l}/attn`, normed, normed, heads));
    h = g.add(h, feedForward(b, `rm/enc${l}/ffn`, layerNorm(b, `rm/enc${l}/ln2`, h)));
  }
  const memory = layerNorm(b, 'rm/memory_ln', h);
  let q: GraphValue | undefined;
  for (let l = 0; l < decoderLayers; l++) {
    const query = g.add(b.weight(`rm/dec${l}/query`), pos);
    q = q ? g.add(q, query) : g.expand(query, h.shape);
    q = g.add(q, attention(b, `rm/dec${l}/attn`, layerNorm(b, `rm/dec${l}/ln1`, q), memory, heads, mask));
    q = g.add(q, feedForward(b, `rm/dec${l}/ffn`, layerNorm(b, `rm/dec${l}/ln2`, q)));
  }
  if (!q) throw new Error('The reconstruction module has no decoder layer');
  return dense(b, 'rm/out', layerNorm(b, 'rm/out_ln', q));
}

/** ltadNetwork.ts semanticLogits: per-layer projections, max-pooled, against the class prompts. */
function semanticLogits(b: LayerGraph, net: LtadNetwork, x: GraphValue, promptsT: GraphValue): GraphValue {
  const { g } = b;
  let offset = 0;
  const projected = net.config.layerChannels.map((channels, l) => {
    const slice = g.slice(x, [2], [offset], [channels]);
    offset += channels;
    return dense(b, `sem/phi${l}`, slice);
  });
  const v = projected.reduce((a, c) => g.maximum(a, c));
  return g.matMul(v, promptsT);
}

/** The direct-classifier ablation's per-class vectors of each sample, [b, textDim, 2]. */
function directPrompts(b: LayerGraph, classRows: GraphValue): GraphValue {
  const { g } = b;
  const column = (name: string) => {
    const picked = g.matMul(classRows, b.weight(name));
    return g.reshape(picked, [...picked.shape, 1]);
  };
  return g.concat([column('direct/normal'), column('direct/abnormal')], 2);
}

/** Mean squared error of the reconstruction of the noisy tokens against the clean ones. */
function reconstructionLoss(b: LayerGraph, net: LtadNetwork, clean: GraphValue, noisy: GraphValue): GraphValue {
  const { g } = b;
  const { grid, window } = net.config;
  const mask = g.constant(neighbourMaskValues(grid, window), [net.tokens, net.tokens]);
  return g.mean(g.square(g.sub(clean, transformerReconstruct(b, net, noisy, mask))));
}

/** The semantic branch's cross-entropy against each token's pseudo-anomaly share. */
function semanticLoss(b: LayerGraph, net: LtadNetwork, noisy: GraphValue, batch: number): GraphValue {
  const { g } = b;
  const labels = g.data(PHASE2_INPUTS.labels, [batch, net.tokens, 1]);
  const promptsT =
    net.config.ablation === 'direct-classifier'
      ? directPrompts(b, g.data(PHASE2_INPUTS.classRows, [batch, net.classCount]))
      : g.data(PHASE2_INPUTS.prompts, [batch, net.text.outputDim, 2]);
  const logP = g.logSoftmax(semanticLogits(b, net, noisy, promptsT));
  const logNormal = g.slice(logP, [2], [0], [1]);
  const logAbnormal = g.slice(logP, [2], [1], [1]);
  const normalShare = g.sub(g.scalar(1), labels);
  return g.scale(g.mean(g.add(g.mul(labels, logAbnormal), g.mul(normalShare, logNormal))), -1);
}

/**
 * Phase 2's loss and the gradient of every trained parameter as one ONNX graph, the same
 * function as trainingSteps.ts phase2Loss computes on tfjs (tested against it): inputs are a
 * step's prepared tensors (PHASE2_INPUTS) and the parameters under their store names; outputs
 * are the loss terms (PHASE2_LOSS_OUTPUTS, absent terms 0) and grad_i for parameter i.
 */
export function buildPhase2TrainingGraph(net: LtadNetwork, batch: number, parameterNames: readonly string[]): Uint8Array {
  if (!phase2Compilable(net.config)) throw new Error('A trainable memory has no compiled phase-2 graph');
  const g = new DifferentiableGraph();
  const [T, D] = [net.tokens, net.dim];
  const { params, layers: b } = parameterLayers(g, net.store, parameterNames, 'phase-2');
  const clean = g.data(PHASE2_INPUTS.clean, [batch, T, D]);
  const noisy = g.data(PHASE2_INPUTS.noisy, [batch, T, D]);
  const lossOf = { rec: () => reconstructionLoss(b, net, clean, noisy), sem: () => semanticLoss(b, net, noisy, batch) };
  const terms: Partial<Record<'rec' | 'sem', GraphValue>> = Object.fromEntries(phase2LossTerms(net).map((t) => [t, lossOf[t]()]));
  const present = Object.values(terms);
  if (present.length === 0) throw new Error('Phase 2 has nothing to train');
  const total = present.reduce((a, c) => g.add(a, c));
  for (const name of PHASE2_LOSS_OUTPUTS) g.output(name === 'total' ? total : (terms[name] ?? g.scalar(0)), name);
  const wrt = parameterNames.map((name) => params.get(name) as GraphValue);
  g.gradients(total, wrt).forEach((grad, i) => g.output(grad, gradientOutput(i)));
  return g.toModel(`LTAD phase-2 training step, batch ${batch}`);
}
