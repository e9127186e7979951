import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type * as ort from 'onnxruntime-node';
import { describe, expect, it, vi } from 'vitest';
import { type OnnxExecution, OnnxExecutionChoice, onnxRuntimeDetail } from '../../../src/main/engineAdapters/onnxExecution';
import type { OnnxSessionCreator } from '../../../src/main/engineAdapters/onnxProviderProbe';
import { createOnnxSession, NO_SPINNING } from '../../../src/main/engineAdapters/onnxSession';

const CUDA: OnnxExecution = { provider: 'cuda', sessionProviders: ['cuda', 'cpu'], passedOver: [] };
const OPTIONS = { graphOptimizationLevel: 'all', intraOpNumThreads: 2 } as const;

/** A stand-in for onnxruntime's session creation where the named providers fail as a broken CUDA install does. */
function creator(failingProviders: string[]) {
  return vi.fn<OnnxSessionCreator>(async (_model, options) => {
    const first = String(options.executionProviders?.[0]);
    if (failingProviders.includes(first)) throw new Error(`${first}: CUDA failure 35: CUDA driver version is insufficient`);
    return { providers: options.executionProviders } as unknown as ort.InferenceSession;
  });
}

/** A choice of `provider` whose probe passes, so the session itself is the first to fail. */
const choiceOf = (provider: string, warn: (message: string) => void = () => {}) =>
  new OnnxExecutionChoice(
    () => ({ order: provider === 'cpu' ? ['cpu'] : [provider, 'cpu'], passedOver: [] }),
    async () => {},
    warn,
  );

describe('onnxruntime sessions on the chosen provider', () => {
  it('opens a session on the chosen provider, with the given options and threads that do not spin', async () => {
    const create = creator([]);
    const { execution } = await createOnnxSession('graph.onnx', OPTIONS, { choice: choiceOf('cuda'), create });
    expect(execution).toEqual(CUDA);
    expect(create.mock.calls).toEqual([['graph.onnx', { ...OPTIONS, extra: NO_SPINNING, executionProviders: ['cuda', 'cpu'] }]]);
    expect(NO_SPINNING.session.intra_op.allow_spinning).toBe('0');
  });

  it('opens on CPU when the chosen provider fails, says why, and sends every later session to CPU directly', async () => {
    const create = creator(['cuda']);
    const warn = vi.fn();
    const choice = choiceOf('cuda', warn);
    const first = await createOnnxSession(new Uint8Array([1, 2]), OPTIONS, { choice, create });
    expect(first.execution.provider).toBe('cpu');
    expect(onnxRuntimeDetail(first.execution)).toMatch(
      /^onnxruntime-node \S+ cpu \(cuda failed: cuda: CUDA failure 35: CUDA driver version is insufficient\)$/,
    );
    expect(create.mock.calls.map(([, options]) => options.executionProviders)).toEqual([['cuda', 'cpu'], ['cpu']]);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/session did not open on cuda .*using cpu from now on/));

    const later = await createOnnxSession('heads.onnx', OPTIONS, { choice, create });
    expect(later.execution).toBe(first.execution);
    expect(create.mock.calls.at(-1)?.[1].executionProviders).toEqual(['cpu']);
    expect(create).toHaveBeenCalledTimes(3);
  });

  it('throws a failure on CPU: that is the graph, not the provider', async () => {
    const create = creator(['cpu']);
    await expect(createOnnxSession('broken.onnx', OPTIONS, { choice: choiceOf('cpu'), create })).rejects.toThrow(/CUDA failure 35/);
    expect(create).toHaveBeenCalledTimes(1);
  });

  it('is the one way the station opens sessions: no other source file creates them', () => {
    const src = path.resolve(__dirname, '..', '..', '..', 'src');
    const creators = readdirSync(src, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && /\.tsx?$/.test(e.name))
      .map((e) => path.join(e.parentPath, e.name))
      .filter((file) => readFileSync(file, 'utf8').includes('InferenceSession.create'))
      .map((file) => path.relative(src, file).split(path.sep).join('/'));
    // onnxProviderProbe.ts holds the creator createOnnxSession and the probe use.
    expect(creators).toEqual(['main/engineAdapters/onnxProviderProbe.ts']);
  });
});
