import { seededRandom, seededShuffle } from '../seededRandom';
import { tf } from '../tfjsRuntime';
import { AdamW } from './adamW';
import type { LtadNetwork } from './ltadNetwork';
import { oneHotRows, selectRows } from './networkLayers';
import { corruptTokens, planPseudoAnomalies } from './pseudoAnomalies';

/** Standardised training tokens of every class, one image per row. */
export interface LtadTrainingSet {
  /** [count, tokens, dim] */
  tokens: Float32Array;
  count: number;
  /** Class index of each image. */
  classIndex: Int32Array;
}

export type TrainingPhase = 'phase1' | 'phase2';

export interface TrainingProgressEvent {
  phase: TrainingPhase;
  epoch: number;
  epochs: number;
  step: number;
  steps: number;
  losses: Record<string, number>;
  etaSeconds: number;
}

export interface TrainingControl {
  onProgress?(event: TrainingProgressEvent): void;
  /** Checked between steps; training stops with TrainingCancelledError when it returns true. */
  shouldCancel?(): boolean;
}

export class TrainingCancelledError extends Error {
  constructor() {
    super('Training was cancelled');
  }
}

export interface TrainingOutcome {
  phaseSeconds: Record<TrainingPhase, number>;
  finalLosses: Record<TrainingPhase, Record<string, number>>;
}

function batchTensor(set: LtadTrainingSet, rows: readonly number[], tokens: number, dim: number): tf.Tensor3D {
  const size = tokens * dim;
  const data = new Float32Array(rows.length * size);
  rows.forEach((row, i) => data.set(set.tokens.subarray(row * size, (row + 1) * size), i * size));
  return tf.tensor3d(data, [rows.length, tokens, dim]);
}

class Clock {
  private readonly started = performance.now();
  eta(done: number, total: number, remainingAfter: number): number {
    const perStep = (performance.now() - this.started) / Math.max(done, 1);
    return ((total - done + remainingAfter) * perStep) / 1000;
  }
  seconds(): number {
    return (performance.now() - this.started) / 1000;
  }
}

function lossValues(losses: Record<string, tf.Scalar>): Record<string, number> {
  return Object.fromEntries(Object.entries(losses).map(([k, v]) => [k, v.dataSync()[0] as number]));
}

/**
 * Two-phase LTAD training (docs/method.md, Network and training). Phase 1 learns the pseudo-names
 * s_c and a conditional VAE; phase 2 trains the reconstruction module and the semantic projections
 * on real or synthesised features with noise-made pseudo-anomalies. Deterministic for a seed.
 */
export async function trainLtad(net: LtadNetwork, set: LtadTrainingSet, control: TrainingControl = {}): Promise<TrainingOutcome> {
  const { config } = net;
  const random = seededRandom(config.seed + 7);
  let noiseSeed = config.seed * 1000 + 1;
  const stepsPerEpoch = Math.max(1, Math.ceil(set.count / config.batchSize));
  const skipPhase1 = config.ablation === 'no-vae';
  // Epochs, capped by a step budget so that training time stays bounded on large datasets.
  const phase1Steps = skipPhase1 ? 0 : Math.min(config.phase1Epochs * stepsPerEpoch, config.phase1MaxSteps);
  const phase2Steps = Math.min(config.phase2Epochs * stepsPerEpoch, config.phase2MaxSteps);
  const phase1Epochs = Math.ceil(phase1Steps / stepsPerEpoch);
  const phase2Epochs = Math.ceil(phase2Steps / stepsPerEpoch);
  const byClass: number[][] = Array.from({ length: net.classCount }, () => []);
  set.classIndex.forEach((c, row) => byClass[c]?.push(row));
  const present = byClass.map((rows, c) => (rows.length > 0 ? c : -1)).filter((c) => c >= 0);
  const finalLosses: TrainingOutcome['finalLosses'] = { phase1: {}, phase2: {} };
  const check = () => {
    if (control.shouldCancel?.()) throw new TrainingCancelledError();
  };

  // Phase 1: conditional VAE + pseudo-names.
  const clock1 = new Clock();
  if (!skipPhase1) {
    const optimizer = new AdamW({ learningRate: config.learningRate, weightDecay: config.weightDecay });
    tf.tidy(() => {
      const x = tf.zeros([1, net.tokens, net.dim]);
      const cond = net.classConditions().slice([0, 0], [1, -1]);
      const { mean, pooled } = net.encode(x, cond);
      net.decode(mean, cond);
      net.alignEmbedding(pooled);
    });
    const params = net.parameters('phase1');
    let step = 0;
    try {
      phase1: for (let epoch = 0; epoch < phase1Epochs; epoch++) {
        const order = seededShuffle(Array.from({ length: set.count }, (_, i) => i), random);
        for (let s = 0; s < stepsPerEpoch; s++) {
          if (step >= phase1Steps) break phase1;
          check();
          const rows = order.slice(s * config.batchSize, (s + 1) * config.batchSize);
          if (rows.length === 0) continue;
          const klWeight = config.klWeight * Math.min(1, (step + 1) / Math.max(1, phase1Steps * 0.3)); // annealed
          const x = batchTensor(set, rows, net.tokens, net.dim);
          const cls = tf.tensor1d(rows.map((r) => set.classIndex[r] as number), 'int32');
          const seed = noiseSeed++;
          let parts: Record<string, tf.Scalar> = {};
          const { value, grads } = tf.variableGrads(() => {
            const conditions = net.classConditions();
            const cond = selectRows(conditions, cls);
            const { mean, logVar, pooled } = net.encode(x, cond);
            const z = mean.add(logVar.mul(0.5).exp().mul(tf.randomNormal(mean.shape, 0, 1, 'float32', seed)));
            const recon = tf.losses.meanSquaredError(x, net.decode(z, cond)) as tf.Scalar;
            const kl = logVar.exp().add(mean.square()).sub(1).sub(logVar).mul(0.5).mean() as tf.Scalar;
            const targets = conditions.div(conditions.norm('euclidean', -1, true).add(1e-6));
            const logits = tf.matMul(net.alignEmbedding(pooled), targets.transpose()).div(0.07);
            const align = tf.losses.softmaxCrossEntropy(oneHotRows(cls, net.classCount), logits) as tf.Scalar;
            parts = { recon: tf.keep(recon), kl: tf.keep(kl), align: tf.keep(align) };
            return recon.add(kl.mul(klWeight)).add(align.mul(config.alignWeight)) as tf.Scalar;
          }, params);
          optimizer.apply(new Map(params.map((p) => [p, grads[p.name] as tf.Tensor])));
          const losses = { total: value.dataSync()[0] as number, ...lossValues(parts) };
          tf.dispose([value, x, cls, ...Object.values(grads), ...Object.values(parts)]);
          step++;
          finalLosses.phase1 = losses;
          control.onProgress?.({ phase: 'phase1', epoch: epoch + 1, epochs: phase1Epochs, step, steps: phase1Steps, losses, etaSeconds: clock1.eta(step, phase1Steps, phase2Steps) });
          await new Promise((r) => setImmediate(r)); // let progress and cancel messages through
        }
      }
    } finally {
      optimizer.dispose();
    }
  }
  const phase1Seconds = clock1.seconds();

  // Phase 2: reconstruction module + semantic projections.
  const clock2 = new Clock();
  const optimizer = new AdamW({ learningRate: config.learningRate, weightDecay: config.weightDecay });
  const prompts = config.ablation === 'direct-classifier' ? undefined : net.promptEmbeddings();
  const conditions = skipPhase1 ? undefined : net.classConditions();
  tf.tidy(() => {
    const x = tf.zeros([1, net.tokens, net.dim]);
    net.reconstruct(x);
    net.semanticLogits(x, prompts ?? net.promptEmbeddings(), tf.tensor1d([0], 'int32'));
  });
  const params = net.parameters('phase2');
  let step = 0;
  try {
    phase2: for (let epoch = 0; epoch < phase2Epochs; epoch++) {
      for (let s = 0; s < stepsPerEpoch; s++) {
        if (step >= phase2Steps) break phase2;
        check();
        // Class-balanced: every class, however rare, is drawn equally often.
        const classes = Array.from({ length: config.batchSize }, () => present[Math.floor(random() * present.length)] as number);
        const useReal = classes.map(() => skipPhase1 || random() < config.realProbability);
        const realRows = classes.map((c) => {
          const rows = byClass[c] as number[];
          return rows[Math.floor(random() * rows.length)] as number;
        });
        const cls = tf.tensor1d(classes, 'int32');
        const clean = tf.tidy(() => {
          const real = batchTensor(set, realRows, net.tokens, net.dim);
          if (!conditions || useReal.every((u) => u)) return real;
          const latentCells = net.tokens / 4;
          const z = tf.randomNormal([classes.length, latentCells, config.latentChannels], 0, 1, 'float32', noiseSeed++);
          const synthetic = net.decode(z, selectRows(conditions, cls));
          const pick = tf.tensor1d(useReal.map((u) => (u ? 1 : 0)), 'float32').reshape([-1, 1, 1]);
          return real.mul(pick).add(synthetic.mul(tf.scalar(1).sub(pick)));
        });
        const plan = planPseudoAnomalies(classes.length, config.grid, config.maxRegions, random);
        const labels = tf.tensor2d(plan.labels, [classes.length, net.tokens]);
        const noisy = corruptTokens(clean, plan, { jitterScale: config.jitterScale, anomalyNoiseScale: config.anomalyNoiseScale, seed: noiseSeed++ });
        let parts: Record<string, tf.Scalar> = {};
        const { value, grads } = tf.variableGrads(() => {
          const rec = tf.losses.meanSquaredError(clean, net.reconstruct(noisy)) as tf.Scalar;
          if (config.ablation === 'no-semantic') {
            parts = { rec: tf.keep(rec) };
            return rec;
          }
          const logits = net.semanticLogits(noisy, prompts ?? net.promptEmbeddings(), cls);
          const logP = tf.logSoftmax(logits);
          const [logNormal, logAbnormal] = tf.split(logP, 2, 2) as [tf.Tensor, tf.Tensor];
          const y = labels.expandDims(2);
          const sem = y.mul(logAbnormal).add(tf.scalar(1).sub(y).mul(logNormal)).mean().neg() as tf.Scalar;
          parts = { rec: tf.keep(rec), sem: tf.keep(sem) };
          return rec.add(sem) as tf.Scalar;
        }, params);
        optimizer.apply(new Map(params.map((p) => [p, grads[p.name] as tf.Tensor])));
        const losses = { total: value.dataSync()[0] as number, ...lossValues(parts) };
        tf.dispose([value, cls, clean, labels, noisy, ...Object.values(grads), ...Object.values(parts)]);
        step++;
        finalLosses.phase2 = losses;
        control.onProgress?.({ phase: 'phase2', epoch: epoch + 1, epochs: phase2Epochs, step, steps: phase2Steps, losses, etaSeconds: clock2.eta(step, phase2Steps, 0) });
        await new Promise((r) => setImmediate(r));
      }
    }
  } finally {
    optimizer.dispose();
    tf.dispose([prompts, conditions].filter((t) => t !== undefined) as tf.Tensor[]);
  }
  return { phaseSeconds: { phase1: phase1Seconds, phase2: clock2.seconds() }, finalLosses };
}
