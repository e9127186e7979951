import { tf } from '../tfjsRuntime';
import type { LtadNetwork } from './ltadNetwork';
import { oneHotRows, selectRows } from './networkLayers';
import { gradientOutput } from './graphLayers';
import { buildPhase1TrainingGraph, PHASE1_INPUTS, PHASE1_LOSS_OUTPUTS } from './phase1TrainingGraph';
import { buildPhase2TrainingGraph, PHASE2_INPUTS, phase2Compilable, phase2LossTerms } from './phase2TrainingGraph';
import type { TrainingRows } from './trainingRows';
import { type PhaseContext, phase2Inputs, type StepRequest } from './trainingSteps';

export interface GraphFeed {
  data: Float32Array;
  dims: readonly number[];
}

/** One compiled training-step graph, ready to run (an onnxruntime session: engineAdapters/onnxStepCompiler.ts). */
export interface CompiledStepGraph {
  /** Feeds the graph does not take are left out by the runner. */
  run(feeds: Record<string, GraphFeed>): Promise<Record<string, Float32Array>>;
  dispose(): Promise<void>;
}

/** Turns a training-step graph into something that runs it (docs/ARCHITECTURE.md, Training on onnxruntime). */
export interface StepCompiler {
  /** Where the graphs run, e.g. "onnxruntime-node 1.30.0 cpu, 2 threads". */
  readonly detail: string;
  compile(model: Uint8Array): Promise<CompiledStepGraph>;
}

const feedOf = (t: tf.Tensor): GraphFeed => ({ data: t.dataSync() as Float32Array, dims: t.shape });

/** What a compiled phase needs from the trainer's step: its graph per batch size and its feeds. */
interface PhaseGraphs {
  build(batch: number): Uint8Array;
  /** The step's data inputs (the parameters are fed apart). */
  feeds(request: StepRequest): Record<string, GraphFeed>;
  losses: readonly string[];
}

function phase1Graphs(net: LtadNetwork, rows: TrainingRows, parameterNames: readonly string[]): PhaseGraphs {
  const trainsNames = parameterNames.includes(PHASE1_INPUTS.names);
  return {
    build: (batch) => buildPhase1TrainingGraph(net, batch, parameterNames),
    losses: PHASE1_LOSS_OUTPUTS,
    feeds(request) {
      if (request.phase !== 'phase1') throw new Error('A phase-2 step was sent to phase 1');
      const { items } = request;
      const feeds: Record<string, GraphFeed> = {
        [PHASE1_INPUTS.tokens]: { data: rows.read(items.map((i) => i.row)), dims: [items.length, net.tokens, net.dim] },
        [PHASE1_INPUTS.klWeight]: { data: Float32Array.of(request.klWeight), dims: [] },
      };
      tf.tidy(() => {
        const { latentChannels } = net.config;
        feeds[PHASE1_INPUTS.epsilon] = feedOf(
          tf.stack(items.map((i) => tf.randomNormal([net.tokens / 4, latentChannels], 0, 1, 'float32', i.noiseSeed))),
        );
        feeds[PHASE1_INPUTS.classRows] = feedOf(
          oneHotRows(
            tf.tensor1d(
              items.map((i) => i.classIndex),
              'int32',
            ),
            net.classCount,
          ),
        );
        if (!trainsNames) feeds[PHASE1_INPUTS.names] = feedOf(net.names);
      });
      return feeds;
    },
  };
}

function phase2Graphs(net: LtadNetwork, rows: TrainingRows, context: PhaseContext, parameterNames: readonly string[]): PhaseGraphs {
  return {
    build: (batch) => buildPhase2TrainingGraph(net, batch, parameterNames),
    losses: ['total', ...phase2LossTerms(net)],
    feeds(request) {
      if (request.phase !== 'phase2') throw new Error('A phase-1 step was sent to phase 2');
      const inputs = phase2Inputs(net, rows, context, request.items);
      const feeds: Record<string, GraphFeed> = {};
      try {
        tf.tidy(() => {
          feeds[PHASE2_INPUTS.clean] = feedOf(inputs.clean);
          feeds[PHASE2_INPUTS.noisy] = feedOf(inputs.noisy);
          feeds[PHASE2_INPUTS.labels] = feedOf(inputs.labels);
          if (context.prompts) feeds[PHASE2_INPUTS.prompts] = feedOf(selectRows(context.prompts, inputs.cls).transpose([0, 2, 1]));
          feeds[PHASE2_INPUTS.classRows] = feedOf(oneHotRows(inputs.cls, net.classCount));
        });
      } finally {
        tf.dispose(inputs.tensors);
      }
      return feeds;
    },
  };
}

/**
 * One phase of a network on compiled graphs, one per batch size: a step's inputs are prepared on
 * tfjs as before, and its loss and gradients come from the graph (docs/ARCHITECTURE.md, Training
 * on onnxruntime).
 */
export class CompiledPhase {
  private readonly graphs = new Map<number, Promise<CompiledStepGraph>>();

  private constructor(
    private readonly compiler: StepCompiler,
    private readonly phase: PhaseGraphs,
    private readonly params: readonly tf.Variable[],
    private readonly parameterNames: readonly string[],
  ) {}

  /** Undefined where the phase has no compiled graph (phase 2 with a trainable memory). */
  static open(
    net: LtadNetwork,
    compiler: StepCompiler,
    rows: TrainingRows,
    phase: 'phase1' | 'phase2',
    params: readonly tf.Variable[],
    context: PhaseContext,
  ): CompiledPhase | undefined {
    if (phase === 'phase2' && !phase2Compilable(net.config)) return undefined;
    const names = params.map((p) => net.store.nameOf(p));
    const graphs = phase === 'phase1' ? phase1Graphs(net, rows, names) : phase2Graphs(net, rows, context, names);
    return new CompiledPhase(compiler, graphs, params, names);
  }

  private graph(batch: number): Promise<CompiledStepGraph> {
    let pending = this.graphs.get(batch);
    if (!pending) {
      pending = this.compiler.compile(this.phase.build(batch));
      this.graphs.set(batch, pending);
    }
    return pending;
  }

  /** The step's gradients (in the order of the phase's parameters) and loss terms, as shareGradients gives them. */
  async gradients(request: StepRequest): Promise<{ grads: tf.Tensor[]; losses: Record<string, number> }> {
    const feeds = this.phase.feeds(request);
    this.params.forEach((p, i) => {
      feeds[this.parameterNames[i] as string] = feedOf(p);
    });
    const out = await (await this.graph(request.items.length)).run(feeds);
    const losses = Object.fromEntries(this.phase.losses.map((name) => [name, out[name]?.[0] as number]));
    const grads = this.params.map((p, i) => tf.tensor(out[gradientOutput(i)] as Float32Array, p.shape));
    return { grads, losses };
  }

  async dispose(): Promise<void> {
    const graphs = await Promise.allSettled(this.graphs.values());
    await Promise.all(graphs.flatMap((g) => (g.status === 'fulfilled' ? [g.value.dispose()] : [])));
    this.graphs.clear();
  }
}
