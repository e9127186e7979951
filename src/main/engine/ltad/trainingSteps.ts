import { tf } from '../tfjsRuntime';
import type { LtadNetwork } from './ltadNetwork';
import { oneHotRows, selectRows } from './networkLayers';
import { corruptTokens, donorRows, type SampleAnomalyPlan } from './pseudoAnomalies';
import type { TrainingRows } from './trainingRows';

/**
 * One training step as plain data: which rows, which classes, which noise seeds. The trainer
 * plans every step; whoever computes a share of it (the trainer's own thread or a worker) gets
 * the same numbers for the same sample, so a batch split over workers adds up to the whole.
 */
export interface Phase1Item {
  row: number;
  classIndex: number;
  /** Seed of the VAE's reparameterisation noise. */
  noiseSeed: number;
}

export interface Phase2Item {
  row: number;
  classIndex: number;
  /** Train on the real row, or on features the VAE synthesises for its class. */
  real: boolean;
  latentSeed: number;
  noiseSeed: number;
  anomaly: SampleAnomalyPlan;
  /** A painted defect view of `row` (trainingRows.ts, DefectViewRows) to train on instead of the row itself; its labels are the plan's. */
  view?: number;
}

export type StepRequest = { phase: 'phase1'; klWeight: number; items: Phase1Item[] } | { phase: 'phase2'; items: Phase2Item[] };

/** Tensors a thread computes once per phase from the weights it was given. */
export interface PhaseContext {
  prompts?: tf.Tensor3D;
  conditions?: tf.Tensor2D;
}

/** Creates the phase's parameters (a forward pass on zeros) and its fixed tensors. */
export function openPhase(net: LtadNetwork, phase: 'phase1' | 'phase2'): PhaseContext {
  if (phase === 'phase1') {
    tf.tidy(() => {
      const x = tf.zeros([1, net.tokens, net.dim]);
      const cond = net.classConditions().slice([0, 0], [1, -1]);
      const { mean, pooled } = net.encode(x, cond);
      net.decode(mean, cond);
      net.alignEmbedding(pooled);
    });
    return {};
  }
  const { ablation } = net.config;
  const context: PhaseContext = {
    ...(ablation === 'direct-classifier' ? {} : { prompts: net.promptEmbeddings() }),
    ...(ablation === 'no-vae' ? {} : { conditions: net.classConditions() }),
  };
  tf.tidy(() => {
    const x = tf.zeros([1, net.tokens, net.dim]);
    const first = tf.tensor1d([0], 'int32');
    // A frozen memory takes no part in training: threads that train need not hold it.
    if (net.trainsReconstruction) net.reconstruct(x, first);
    net.semanticLogits(x, context.prompts ?? net.promptEmbeddings(), first);
  });
  return context;
}

export function closePhase(context: PhaseContext): void {
  tf.dispose([context.prompts, context.conditions].filter((t) => t !== undefined) as tf.Tensor[]);
}

export interface ShareGradients {
  /** In the order of the parameters asked for; a parameter the loss does not reach gets zeros. */
  grads: tf.Tensor[];
  /** Loss terms of the share, already weighted by its share of the batch. */
  losses: Record<string, number>;
}

/**
 * Gradients of one share of a step. `weight` is the share's fraction of the batch: every loss is
 * a mean over samples, so the shares' weighted gradients sum to the whole batch's.
 */
export function shareGradients(
  net: LtadNetwork,
  rows: TrainingRows,
  params: readonly tf.Variable[],
  context: PhaseContext,
  request: StepRequest,
  weight: number,
): ShareGradients {
  const inputs: tf.Tensor[] = [];
  let parts: Record<string, tf.Scalar> = {};
  const loss =
    request.phase === 'phase1'
      ? phase1Loss(net, rows, request.items, request.klWeight, inputs)
      : phase2Loss(net, rows, context, request.items, inputs);
  const { value, grads } = tf.variableGrads(() => {
    const terms = loss();
    parts = Object.fromEntries(Object.entries(terms.parts).map(([k, v]) => [k, tf.keep(v.mul(weight) as tf.Scalar)]));
    return terms.total.mul(weight) as tf.Scalar;
  }, [...params]);
  const ordered = params.map((p) => grads[p.name] ?? tf.zerosLike(p));
  const losses = {
    total: value.dataSync()[0] as number,
    ...Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, v.dataSync()[0] as number])),
  };
  const unused = Object.entries(grads)
    .filter(([name]) => !params.some((p) => p.name === name))
    .map(([, g]) => g);
  tf.dispose([value, ...inputs, ...Object.values(parts), ...unused]);
  return { grads: ordered, losses };
}

type LossTerms = () => { total: tf.Scalar; parts: Record<string, tf.Scalar> };

function phase1Loss(net: LtadNetwork, rows: TrainingRows, items: readonly Phase1Item[], klWeight: number, inputs: tf.Tensor[]): LossTerms {
  const { config } = net;
  const x = tf.tensor3d(rows.read(items.map((i) => i.row)), [items.length, net.tokens, net.dim]);
  const cls = tf.tensor1d(
    items.map((i) => i.classIndex),
    'int32',
  );
  const epsilon = tf.tidy(() =>
    tf.stack(items.map((i) => tf.randomNormal([net.tokens / 4, config.latentChannels], 0, 1, 'float32', i.noiseSeed))),
  );
  inputs.push(x, cls, epsilon);
  return () => {
    const conditions = net.classConditions();
    const cond = selectRows(conditions, cls);
    const { mean, logVar, pooled } = net.encode(x, cond);
    const z = mean.add(logVar.mul(0.5).exp().mul(epsilon));
    const recon = tf.losses.meanSquaredError(x, net.decode(z, cond)) as tf.Scalar;
    const kl = logVar.exp().add(mean.square()).sub(1).sub(logVar).mul(0.5).mean() as tf.Scalar;
    const targets = conditions.div(conditions.norm('euclidean', -1, true).add(1e-6));
    const logits = tf.matMul(net.alignEmbedding(pooled), targets.transpose()).div(0.07);
    const align = tf.losses.softmaxCrossEntropy(oneHotRows(cls, net.classCount), logits) as tf.Scalar;
    return { total: recon.add(kl.mul(klWeight)).add(align.mul(config.alignWeight)) as tf.Scalar, parts: { recon, kl, align } };
  };
}

/** The real rows' tokens with each defect-view item's row replaced by its painted view. */
function withDefectViews(rows: TrainingRows, items: readonly Phase2Item[], realRows: Float32Array): Float32Array {
  const withView = items.flatMap((item, i) => (item.view === undefined ? [] : [{ i, view: item.view }]));
  if (withView.length === 0) return realRows;
  if (!rows.views) throw new Error('A training step asks for defect views, but the training rows have none');
  const out = Float32Array.from(realRows);
  const size = rows.tokens * rows.dim;
  const views = rows.views.read(withView.map((v) => v.view));
  withView.forEach(({ i }, k) => out.set(views.subarray(k * size, (k + 1) * size), i * size));
  return out;
}

/** A phase-2 step's prepared tensors: what its loss reads, on tfjs or in the compiled graph. */
export interface Phase2Inputs {
  cls: tf.Tensor1D;
  /** The reconstruction targets: real rows, or the VAE's synthetic ones. */
  clean: tf.Tensor;
  /** The samples as the network sees them: painted views and pseudo-anomalies. */
  noisy: tf.Tensor;
  /** Each token's pseudo-anomaly share, [b, T, 1]. */
  labels: tf.Tensor;
  /** Every tensor made, to dispose after the step. */
  tensors: tf.Tensor[];
}

/** Prepares a phase-2 step's inputs (no gradient flows through any of this). */
export function phase2Inputs(net: LtadNetwork, rows: TrainingRows, context: PhaseContext, unordered: readonly Phase2Item[]): Phase2Inputs {
  const { config } = net;
  // Real samples first: every loss is a mean over samples, so the order does not matter, and the
  // synthetic ones are then one slab for the VAE decoder.
  const items = [...unordered.filter((i) => i.real || !context.conditions), ...unordered.filter((i) => !i.real && context.conditions)];
  const realCount = context.conditions ? items.filter((i) => i.real).length : items.length;
  const cls = tf.tensor1d(
    items.map((i) => i.classIndex),
    'int32',
  );
  const plans = items.map((i) => i.anomaly);
  const realRows = rows.read(items.slice(0, realCount).map((i) => i.row));
  const [clean, painted] = tf.tidy(() => {
    const shape: [number, number, number] = [realCount, net.tokens, net.dim];
    const [real, withViews] = [
      tf.tensor3d(realRows, shape),
      tf.tensor3d(withDefectViews(rows, items.slice(0, realCount), realRows), shape),
    ];
    const synthetic = items.slice(realCount);
    if (synthetic.length === 0 || !context.conditions) return [real, withViews];
    const z = tf.stack(synthetic.map((i) => tf.randomNormal([net.tokens / 4, config.latentChannels], 0, 1, 'float32', i.latentSeed)));
    const decoded = net.decode(z, selectRows(context.conditions, cls.slice(realCount)));
    return realCount > 0 ? [tf.concat([real, decoded]), tf.concat([withViews, decoded])] : [decoded, decoded];
  });
  const donors = donorRows(plans);
  const donorMaps = donors.length > 0 ? tf.tensor3d(rows.read(donors), [donors.length, net.tokens, net.dim]) : undefined;
  const noisy = corruptTokens(painted, donorMaps, plans, {
    jitterScale: config.jitterScale,
    anomalyNoiseScale: config.anomalyNoiseScale,
    seeds: items.map((i) => i.noiseSeed),
  });
  const labels = tf.tensor3d(Float32Array.from(plans.flatMap((p) => [...p.labels])), [items.length, net.tokens, 1]);
  return { cls, clean, noisy, labels, tensors: [cls, clean, painted, noisy, labels, ...(donorMaps ? [donorMaps] : [])] };
}

function phase2Loss(
  net: LtadNetwork,
  rows: TrainingRows,
  context: PhaseContext,
  unordered: readonly Phase2Item[],
  inputs: tf.Tensor[],
): LossTerms {
  const { config } = net;
  const { cls, clean, noisy, labels, tensors } = phase2Inputs(net, rows, context, unordered);
  inputs.push(...tensors);
  return (): ReturnType<LossTerms> => {
    const parts: Record<string, tf.Scalar> = {};
    if (net.trainsReconstruction) parts.rec = tf.losses.meanSquaredError(clean, net.reconstruct(noisy, cls)) as tf.Scalar;
    if (config.ablation !== 'no-semantic') {
      const logits = net.semanticLogits(noisy, context.prompts ?? net.promptEmbeddings(), cls);
      const logP = tf.logSoftmax(logits);
      const [logNormal, logAbnormal] = tf.split(logP, 2, 2) as [tf.Tensor, tf.Tensor];
      parts.sem = labels.mul(logAbnormal).add(tf.scalar(1).sub(labels).mul(logNormal)).mean().neg() as tf.Scalar;
    }
    const terms = Object.values(parts);
    return { total: (terms.length > 0 ? tf.addN(terms) : tf.scalar(0)) as tf.Scalar, parts };
  };
}
