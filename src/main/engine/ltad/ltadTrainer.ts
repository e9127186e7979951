import { seededRandom, seededShuffle } from '../seededRandom';
import { tf } from '../tfjsRuntime';
import { AdamW, type AdamWOptions } from './adamW';
import { CompiledPhase, type StepCompiler } from './compiledSteps';
import type { LtadNetwork } from './ltadNetwork';
import type { ParameterValues } from './parameterStore';
import { ensureNormalMemory, requantiseMemory } from './normalMemory';
import { defectViewPlan, planSampleAnomalies } from './pseudoAnomalies';
import type { StepWorkers } from './stepWorkers';
import { closePhase, openPhase, shareGradients, type Phase2Item, type StepRequest } from './trainingSteps';
import { TrainingCancelledError } from './trainingCancelledError';
import type { TrainingRows } from './trainingRows';

export type TrainingPhase = 'phase1' | 'phase2';

export interface TrainingProgressEvent {
  phase: TrainingPhase;
  epoch: number;
  epochs: number;
  step: number;
  steps: number;
  /** The step across both phases (phase 2's follow phase 1's), and the steps of the whole run. */
  runStep: number;
  runSteps: number;
  losses: Record<string, number>;
  /** Until the last step of the run, at the pace measured so far. */
  etaSeconds: number;
}

export interface TrainingControl {
  onProgress?(event: TrainingProgressEvent): void;
  /** Called when a phase is about to start, with the network ready for it (the learning-curve bench scores step 0). */
  onPhaseStart?(phase: TrainingPhase): void;
  /** Checked between steps; training stops with TrainingCancelledError when it returns true. */
  shouldCancel?(): boolean;
}

export interface TrainingOutcome {
  phaseSeconds: Record<TrainingPhase, number>;
  finalLosses: Record<TrainingPhase, Record<string, number>>;
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

export interface StepGradients {
  grads: tf.Tensor[];
  losses: Record<string, number>;
  /** The summed gradients as plain data, when workers took part (they apply the same). */
  shared?: Float32Array[];
}

/** Contiguous shares of a batch, one per thread, as even as the batch allows. */
export function splitShares<T>(items: readonly T[], parts: number): T[][] {
  const shares: T[][] = [];
  let start = 0;
  for (let p = 0; p < parts; p++) {
    const end = start + Math.ceil((items.length - start) / (parts - p));
    shares.push(items.slice(start, end));
    start = end;
  }
  return shares;
}

function addLosses(total: Record<string, number>, more: Record<string, number>): Record<string, number> {
  for (const [k, v] of Object.entries(more)) total[k] = (total[k] ?? 0) + v;
  return total;
}

/**
 * The gradients of one step: the trainer's thread computes the first share while the workers
 * compute theirs, and the shares are summed. Without workers, the whole batch is one share.
 */
export async function stepGradients(
  net: LtadNetwork,
  rows: TrainingRows,
  params: readonly tf.Variable[],
  context: ReturnType<typeof openPhase>,
  request: StepRequest,
  workers?: StepWorkers,
): Promise<StepGradients> {
  if (!workers || workers.size === 0) return shareGradients(net, rows, params, context, request, 1);
  const n = request.items.length;
  const shares = splitShares<StepRequest['items'][number]>(request.items, workers.size + 1);
  const remote = shares
    .slice(1)
    .flatMap((items, w) => (items.length > 0 ? [workers.computeShare(w, { ...request, items } as StepRequest, items.length / n)] : []));
  const own = shares[0] as StepRequest['items'];
  const local =
    own.length > 0 ? shareGradients(net, rows, params, context, { ...request, items: own } as StepRequest, own.length / n) : undefined;
  const others = await Promise.all(remote);
  const summed = params.map((p, i) => {
    const data = local ? Float32Array.from(local.grads[i]?.dataSync() as Float32Array) : new Float32Array(p.size);
    for (const share of others) {
      const g = share.grads[i] as Float32Array;
      for (let k = 0; k < data.length; k++) data[k] = (data[k] as number) + (g[k] as number);
    }
    return data;
  });
  if (local) tf.dispose(local.grads);
  const losses = others.reduce((acc, share) => addLosses(acc, share.losses), addLosses({}, local?.losses ?? {}));
  return { grads: summed.map((data, i) => tf.tensor(data, (params[i] as tf.Variable).shape)), losses, shared: summed };
}

/** The weights a helper thread needs: all but a frozen memory (many MB per product that training never reads). */
function weightsForWorkers(net: LtadNetwork): ParameterValues {
  const values = net.store.values();
  if (net.trainsReconstruction) return values;
  return Object.fromEntries(Object.entries(values).filter(([name]) => !name.startsWith('rm/')));
}

interface PhaseRun {
  phase: TrainingPhase;
  steps: number;
  epochs: number;
  stepsPerEpoch: number;
  /** Steps of earlier and later phases, for the run's step count and the ETA. */
  stepsBefore: number;
  stepsAfter: number;
  /** The request of step `s` of `epoch` (`step` steps done so far), or undefined to skip it. */
  plan(epoch: number, s: number, step: number): StepRequest | undefined;
}

async function runPhase(
  net: LtadNetwork,
  rows: TrainingRows,
  run: PhaseRun,
  control: TrainingControl,
  training: TrainingOptions,
): Promise<{ seconds: number; losses: Record<string, number> }> {
  const clock = new Clock();
  const { config } = net;
  const options: AdamWOptions = { learningRate: config.learningRate, weightDecay: config.weightDecay };
  const context = openPhase(net, run.phase);
  const params = net.parameters(run.phase);
  const optimizer = new AdamW(options);
  // A compiled step uses every core itself: the helpers sit this phase out.
  const compiled = training.compiler ? CompiledPhase.open(net, training.compiler, rows, run.phase, params, context) : undefined;
  const workers = compiled ? undefined : training.workers;
  let losses: Record<string, number> = {};
  try {
    await workers?.startPhase(
      run.phase,
      weightsForWorkers(net),
      params.map((p) => net.store.nameOf(p)),
      options,
    );
    let step = 0;
    for (let epoch = 0; epoch < run.epochs && step < run.steps; epoch++) {
      for (let s = 0; s < run.stepsPerEpoch && step < run.steps; s++) {
        if (control.shouldCancel?.()) throw new TrainingCancelledError();
        const request = run.plan(epoch, s, step);
        if (!request) continue;
        const result: StepGradients = compiled
          ? await compiled.gradients(request)
          : await stepGradients(net, rows, params, context, request, workers);
        optimizer.apply(new Map(params.map((p, i) => [p, result.grads[i] as tf.Tensor])));
        if (result.shared) workers?.applyGradients(result.shared);
        tf.dispose(result.grads);
        step++;
        losses = result.losses;
        control.onProgress?.({
          phase: run.phase,
          epoch: epoch + 1,
          epochs: run.epochs,
          step,
          steps: run.steps,
          runStep: run.stepsBefore + step,
          runSteps: run.stepsBefore + run.steps + run.stepsAfter,
          losses,
          etaSeconds: clock.eta(step, run.steps, run.stepsAfter),
        });
        await new Promise((r) => setImmediate(r)); // let progress and cancel messages through
      }
    }
  } finally {
    optimizer.dispose();
    try {
      closePhase(context);
    } finally {
      await compiled?.dispose();
    }
  }
  return { seconds: clock.seconds(), losses };
}

/** A training row other than `row`, or -1 when there is no other. */
function donorFor(row: number, count: number, random: () => number): number {
  if (count < 2) return -1;
  const other = Math.floor(random() * (count - 1));
  return other >= row ? other + 1 : other;
}

export interface TrainingOptions {
  /** Helpers that compute shares of every step in parallel (none: this thread does it all). */
  workers?: StepWorkers;
  /** Each product's own seed for its memory (normalMemory.ts). */
  productSeeds?: readonly number[];
  /** Runs the phases as compiled graphs (compiledSteps.ts) instead of tfjs op by op, where they have one. */
  compiler?: StepCompiler;
}

/**
 * Two-phase LTAD training (docs/method.md, Network and training). Phase 1 learns the pseudo-names
 * s_c and a conditional VAE; between the phases each product's memory is built (memory recipe);
 * phase 2 trains the semantic projections, and the reconstruction module unless it is a frozen
 * memory, on real or synthesised features, painted defect views and pseudo-anomalies. This thread plans every step; for a seed
 * the result is the same, up to float rounding, whatever the number of workers.
 */
export async function trainLtad(
  net: LtadNetwork,
  rows: TrainingRows,
  control: TrainingControl = {},
  options: TrainingOptions = {},
): Promise<TrainingOutcome> {
  const { config } = net;
  const random = seededRandom(config.seed + 7);
  let seed = config.seed * 1000 + 1;
  const nextSeed = () => seed++;
  const stepsPerEpoch = Math.max(1, Math.ceil(rows.count / config.batchSize));
  const skipPhase1 = config.ablation === 'no-vae';
  // Epochs, capped by a step budget so that training time stays bounded on large datasets.
  const phase1Steps = skipPhase1 ? 0 : Math.min(config.phase1Epochs * stepsPerEpoch, config.phase1MaxSteps);
  // A frozen memory without the semantic branch leaves phase 2 nothing to learn.
  const phase2HasWork = net.trainsReconstruction || config.ablation !== 'no-semantic';
  const phase2Steps = phase2HasWork ? Math.min(config.phase2Epochs * stepsPerEpoch, config.phase2MaxSteps) : 0;
  const byClass: number[][] = Array.from({ length: net.classCount }, () => []);
  rows.classIndex.forEach((c, row) => byClass[c]?.push(row));
  const present = byClass.map((r, c) => (r.length > 0 ? c : -1)).filter((c) => c >= 0);

  const phase1Plan = (): PhaseRun['plan'] => {
    let order: number[] = [];
    return (_epoch, s, step) => {
      if (s === 0)
        order = seededShuffle(
          Array.from({ length: rows.count }, (_, i) => i),
          random,
        );
      const batch = order.slice(s * config.batchSize, (s + 1) * config.batchSize);
      if (batch.length === 0) return undefined;
      const klWeight = config.klWeight * Math.min(1, (step + 1) / Math.max(1, phase1Steps * 0.3)); // annealed
      return {
        phase: 'phase1',
        klWeight,
        items: batch.map((row) => ({ row, classIndex: rows.classIndex[row] as number, noiseSeed: nextSeed() })),
      };
    };
  };
  const viewsByClass: number[][] = Array.from({ length: net.classCount }, () => []);
  rows.views?.classIndex.forEach((c, v) => viewsByClass[c]?.push(v));
  // Class-balanced: every class, however rare, is drawn equally often.
  const phase2Plan: PhaseRun['plan'] = () => ({
    phase: 'phase2',
    items: Array.from({ length: config.batchSize }, (): Phase2Item => {
      const classIndex = present[Math.floor(random() * present.length)] as number;
      const real = skipPhase1 || random() < config.realProbability;
      const views = viewsByClass[classIndex] as number[];
      if (real && views.length > 0 && random() < config.defectViewProbability) {
        const view = views[Math.floor(random() * views.length)] as number;
        return {
          row: rows.views?.cleanRow[view] as number,
          classIndex,
          real,
          view,
          latentSeed: nextSeed(),
          noiseSeed: nextSeed(),
          anomaly: defectViewPlan(rows, view),
        };
      }
      const candidates = byClass[classIndex] as number[];
      const row = candidates[Math.floor(random() * candidates.length)] as number;
      const anomaly = planSampleAnomalies(config.grid, config.maxRegions, random, () => donorFor(row, rows.count, random));
      return { row, classIndex, real, latentSeed: nextSeed(), noiseSeed: nextSeed(), anomaly };
    }),
  });

  const epochsOf = (steps: number) => Math.ceil(steps / stepsPerEpoch);
  const phase1 = skipPhase1
    ? { seconds: 0, losses: {} }
    : await runPhase(
        net,
        rows,
        {
          phase: 'phase1',
          steps: phase1Steps,
          epochs: epochsOf(phase1Steps),
          stepsPerEpoch,
          stepsBefore: 0,
          stepsAfter: phase2Steps,
          plan: phase1Plan(),
        },
        control,
        options,
      );
  ensureNormalMemory(net, rows, options.productSeeds);
  control.onPhaseStart?.('phase2');
  const phase2 = await runPhase(
    net,
    rows,
    {
      phase: 'phase2',
      steps: phase2Steps,
      epochs: epochsOf(phase2Steps),
      stepsPerEpoch,
      stepsBefore: skipPhase1 ? 0 : phase1Steps,
      stepsAfter: 0,
      plan: phase2Plan,
    },
    control,
    options,
  );
  requantiseMemory(net);
  return {
    phaseSeconds: { phase1: phase1.seconds, phase2: phase2.seconds },
    finalLosses: { phase1: phase1.losses, phase2: phase2.losses },
  };
}
