import type { AdamWOptions } from './adamW';
import type { ParameterValues } from './parameterStore';
import type { StepRequest } from './trainingSteps';

/** One worker's share of a step, as plain data. */
export interface WorkerShare {
  /** In the order of the phase's parameter names. */
  grads: Float32Array[];
  losses: Record<string, number>;
}

/**
 * Data-parallel helpers of the trainer (docs/ARCHITECTURE.md, Training on every core). Each holds
 * a copy of the network in its own thread and tfjs backend; the trainer keeps the copies equal by
 * sending every worker the same summed gradients for its own AdamW.
 */
export interface StepWorkers {
  /** Number of helper workers (the trainer's own thread computes a share too). */
  readonly size: number;
  /** Loads the weights on every worker and starts a phase there with a fresh optimizer. */
  startPhase(
    phase: 'phase1' | 'phase2',
    weights: ParameterValues,
    parameterNames: readonly string[],
    optimizer: AdamWOptions,
  ): Promise<void>;
  /** Worker `worker` computes the gradients of `request` (its share), weighted by `weight`. */
  computeShare(worker: number, request: StepRequest, weight: number): Promise<WorkerShare>;
  /** Every worker applies the step's summed gradients. */
  applyGradients(grads: readonly Float32Array[]): void;
  close(): Promise<void>;
}
