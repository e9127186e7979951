import os from 'node:os';
import * as ort from 'onnxruntime-node';
import { buildLtadHeadsGraph, HEADS_INPUT, HEADS_OUTPUTS, headsExportable } from '../engine/ltad/ltadHeadsGraph';
import type { LtadModel } from '../engine/ltad/ltadModel';
import { onnxRuntimeDetail, processOnnxExecution } from './onnxExecution';
import { createOnnxSession, type OnnxSessionDeps } from './onnxSession';

/** Per-token terms and the combined score of `count` token maps of one product, [count * T] each. */
export interface HeadsScores {
  rec: Float32Array;
  sem: Float32Array;
  score: Float32Array;
  /** Each map's mean standardised token, [count * dim] (classPrototypes.ts, pooledEmbedding). */
  pooled: Float32Array;
}

/** The LTAD heads of one model on onnxruntime (docs/ARCHITECTURE.md, Inference). */
export interface LtadHeads {
  /** Where the sessions run, e.g. "onnxruntime-node 1.30.0 cpu (cuda not installed), 2 threads". */
  readonly runtimeDetail: string;
  score(rawTokens: Float32Array, count: number, product: string): Promise<HeadsScores>;
  dispose(): Promise<void>;
}

/**
 * Opens the model's heads on onnxruntime, one session per product, each built the first time that
 * product is inspected (a graph takes tens of ms to build and holds the product's memory, MBs).
 * Undefined for models the graph does not cover; those keep scoring on tfjs.
 */
export function openLtadHeads(model: LtadModel, threads = os.availableParallelism(), deps: OnnxSessionDeps = {}): LtadHeads | undefined {
  if (!headsExportable(model)) return undefined;
  const { grid } = model.meta.config;
  return openHeadsGraphs(
    (product) => {
      model.classIndex(product); // refuses an unknown product before building anything
      return buildLtadHeadsGraph(model, product);
    },
    { tokens: grid * grid, dim: model.network.dim },
    threads,
    deps,
  );
}

/**
 * Heads sessions over graphs from `graphOf` (built in memory, or files of an exported package),
 * one per product, opened on first use. `graphOf` throws for a product it does not know.
 */
export function openHeadsGraphs(
  graphOf: (product: string) => Uint8Array | string,
  { tokens, dim }: { tokens: number; dim: number },
  threads = os.availableParallelism(),
  deps: OnnxSessionDeps = {},
): LtadHeads {
  const sessions = new Map<string, Promise<ort.InferenceSession>>();
  // What the sessions opened on; a fallback to CPU, once seen, stays in the detail.
  let openedOn: string | undefined;
  const session = (product: string) => {
    let pending = sessions.get(product);
    if (!pending) {
      pending = createOnnxSession(graphOf(product), { graphOptimizationLevel: 'all', intraOpNumThreads: threads }, deps).then((created) => {
        if (openedOn === undefined || created.execution.provider === 'cpu') openedOn = onnxRuntimeDetail(created.execution);
        return created.session;
      });
      sessions.set(product, pending);
    }
    return pending;
  };
  return {
    get runtimeDetail() {
      return `${openedOn ?? (deps.choice ?? processOnnxExecution).detail()}, ${threads} threads`;
    },
    async score(rawTokens, count, product) {
      if (rawTokens.length !== count * tokens * dim)
        throw new Error(`Token maps hold ${rawTokens.length} values, expected ${count} x ${tokens} x ${dim}`);
      const out = await (await session(product)).run({ [HEADS_INPUT]: new ort.Tensor('float32', rawTokens, [count, tokens, dim]) });
      const read = (name: string) => Float32Array.from(out[name]?.data as Float32Array);
      return {
        rec: read(HEADS_OUTPUTS.rec),
        sem: read(HEADS_OUTPUTS.sem),
        score: read(HEADS_OUTPUTS.score),
        pooled: read(HEADS_OUTPUTS.pooled),
      };
    },
    async dispose() {
      const opened = await Promise.allSettled(sessions.values());
      sessions.clear();
      await Promise.all(opened.map((s) => (s.status === 'fulfilled' ? s.value.release() : undefined)));
    },
  };
}
