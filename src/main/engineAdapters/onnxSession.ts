import type * as ort from 'onnxruntime-node';
import { type OnnxExecution, type OnnxExecutionChoice, processOnnxExecution } from './onnxExecution';
import { createOrtSession, type OnnxSessionCreator } from './onnxProviderProbe';

export interface OnnxSessionOnProvider {
  session: ort.InferenceSession;
  /** The provider this session runs on, and why better ones are not in use. */
  execution: OnnxExecution;
}

export interface OnnxSessionDeps {
  choice?: OnnxExecutionChoice;
  create?: OnnxSessionCreator;
}

/**
 * Worker threads that sleep between runs instead of spinning. Each session has its own pool, and an
 * inspection runs two (backbone, heads) with decoding, maps and image files in between: spinning
 * threads took the cores from all of them (measured: features + heads + map p50 23-28 ms spinning,
 * 15 ms not, on 2 cores; docs/ARCHITECTURE.md, Inference).
 */
export const NO_SPINNING = { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } } as const;

/**
 * Every onnxruntime session of the station opens here, on the process's provider choice. Should
 * the chosen GPU provider refuse this graph, the session opens on CPU instead and the choice falls
 * back with it; on CPU a failure is the graph's own and is thrown.
 */
export async function createOnnxSession(
  model: string | Uint8Array,
  options: Omit<ort.InferenceSession.SessionOptions, 'executionProviders'>,
  deps: OnnxSessionDeps = {},
): Promise<OnnxSessionOnProvider> {
  const choice = deps.choice ?? processOnnxExecution;
  const create = deps.create ?? createOrtSession;
  const execution = await choice.get();
  const withThreads = { ...options, extra: { ...NO_SPINNING, ...options.extra } };
  try {
    return { session: await create(model, { ...withThreads, executionProviders: execution.sessionProviders }), execution };
  } catch (error) {
    if (execution.provider === 'cpu') throw error;
    const fallback = choice.fallBack(execution, error);
    return { session: await create(model, { ...withThreads, executionProviders: fallback.sessionProviders }), execution: fallback };
  }
}
