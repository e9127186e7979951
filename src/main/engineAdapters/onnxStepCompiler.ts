import os from 'node:os';
import * as ort from 'onnxruntime-node';
import type { StepCompiler } from '../engine/ltad/compiledSteps';
import { onnxRuntimeDetail, processOnnxExecution } from './onnxExecution';
import { createOnnxSession } from './onnxSession';

/**
 * Training-step graphs on onnxruntime, every core for one step (docs/ARCHITECTURE.md, Training on
 * onnxruntime). Its threads are made by the thread that compiles, so a training thread at low
 * priority gives them its priority.
 */
export async function onnxStepCompiler(threads = os.availableParallelism()): Promise<StepCompiler> {
  // What the sessions run on: the process's choice, or what it fell back to for a graph.
  let execution = await processOnnxExecution.get();
  return {
    get detail() {
      return `${onnxRuntimeDetail(execution)}, ${threads} threads`;
    },
    async compile(model) {
      const opened = await createOnnxSession(model, { graphOptimizationLevel: 'all', intraOpNumThreads: threads });
      execution = opened.execution;
      const { session } = opened;
      const taken = new Set(session.inputNames);
      return {
        async run(feeds) {
          const tensors: Record<string, ort.Tensor> = {};
          for (const [name, feed] of Object.entries(feeds))
            if (taken.has(name)) tensors[name] = new ort.Tensor('float32', feed.data, feed.dims);
          const result = await session.run(tensors);
          return Object.fromEntries(Object.entries(result).map(([name, t]) => [name, t.data as Float32Array]));
        },
        dispose: () => session.release(),
      };
    },
  };
}
