import { parentPort, workerData } from 'node:worker_threads';
import type { StepWorkerReply } from '../../../shared/training';
import type { FoundationSource } from '../../engine/ltad/foundationSource';
import { resolveFoundationPack } from '../../engineAdapters/resolveFoundationPack';
import { AdamW, type AdamWOptions } from '../../engine/ltad/adamW';
import type { LtadConfig } from '../../engine/ltad/ltadConfig';
import { LtadNetwork } from '../../engine/ltad/ltadNetwork';
import type { ParameterValues } from '../../engine/ltad/parameterStore';
import type { TrainingRowsSource } from '../../engine/ltad/trainingRows';
import { openTrainingRows } from '../../engineAdapters/openTrainingRows';
import { closePhase, openPhase, shareGradients, type PhaseContext, type StepRequest } from '../../engine/ltad/trainingSteps';
import { setKernelMode, type KernelMode } from '../../engine/tensorKernels/kernelMode';
import { initTfjs, tf } from '../../engine/tfjsRuntime';
import { errorMessage } from '../workers/workerRpc';
import { lowerThisThreadsPriority } from './threadPriority';

/** What a data-parallel training helper is started with (docs/ARCHITECTURE.md, Training on every core). */
export interface StepWorkerInput {
  config: LtadConfig;
  classCount: number;
  foundation: FoundationSource;
  rows: TrainingRowsSource;
  kernelMode: KernelMode;
  lowPriority: boolean;
}

export type StepWorkerCommand =
  | { type: 'phase'; phase: 'phase1' | 'phase2'; weights: ParameterValues; parameterNames: string[]; optimizer: AdamWOptions }
  | { type: 'compute'; id: number; request: StepRequest; weight: number }
  | { type: 'apply'; grads: Float32Array[] };

if (!parentPort) throw new Error('ltadStepWorker must run in a worker thread');
const port = parentPort;
const input = workerData as StepWorkerInput;
const send = (reply: StepWorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(reply, transfer);

interface PhaseState {
  context: PhaseContext;
  params: tf.Variable[];
  optimizer: AdamW;
}

async function start(): Promise<void> {
  if (input.lowPriority) lowerThisThreadsPriority();
  await initTfjs();
  setKernelMode(input.kernelMode);
  const net = new LtadNetwork(
    input.config,
    input.classCount,
    resolveFoundationPack(input.foundation, input.config.textTower).createTextTower(),
  );
  const rows = openTrainingRows(input.rows);
  let state: PhaseState | undefined;
  const endPhase = () => {
    if (!state) return;
    state.optimizer.dispose();
    closePhase(state.context);
    state = undefined;
  };
  const handle = (command: StepWorkerCommand) => {
    if (command.type === 'phase') {
      endPhase();
      net.store.load(command.weights);
      const context = openPhase(net, command.phase);
      state = { context, params: command.parameterNames.map((n) => net.store.get(n)), optimizer: new AdamW({ ...command.optimizer }) };
      send({ type: 'ready' });
    } else if (!state) {
      throw new Error(`"${command.type}" before a phase was started`);
    } else if (command.type === 'compute') {
      const share = shareGradients(net, rows, state.params, state.context, command.request, command.weight);
      const grads = share.grads.map((g) => Float32Array.from(g.dataSync() as Float32Array));
      tf.dispose(share.grads);
      send(
        { type: 'share', id: command.id, grads, losses: share.losses },
        grads.map((g) => g.buffer as ArrayBuffer),
      );
    } else {
      const { params, optimizer } = state;
      const grads = command.grads.map((g, i) => tf.tensor(g, (params[i] as tf.Variable).shape));
      optimizer.apply(new Map(params.map((p, i) => [p, grads[i] as tf.Tensor])));
      tf.dispose(grads);
    }
  };
  port.on('message', (command: StepWorkerCommand) => {
    try {
      handle(command);
    } catch (error) {
      send({ type: 'failed', message: errorMessage(error) });
    }
  });
  send({ type: 'ready' });
}

start().catch((error: unknown) => send({ type: 'failed', message: errorMessage(error) }));
