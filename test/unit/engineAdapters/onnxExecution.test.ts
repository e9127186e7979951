import * as ort from 'onnxruntime-node';
import { describe, expect, it, vi } from 'vitest';
import type { ProviderPreference } from '../../../src/main/engine/executionProviders/providerPreference';
import {
  chooseOnnxExecution,
  OnnxExecutionChoice,
  onnxExecutionInfo,
  onnxRuntimeDetail,
  processOnnxExecution,
} from '../../../src/main/engineAdapters/onnxExecution';
import { readOnnxProviderAvailability } from '../../../src/main/engineAdapters/onnxProviderAvailability';

const version = ort.env.versions.common;

/** A probe where the named providers fail as a missing CUDA library does, and the rest work. */
function probe(failing: Record<string, string> = {}) {
  return vi.fn(async (provider: string) => {
    if (failing[provider]) throw new Error(failing[provider]);
  });
}

describe('onnxruntime execution provider choice', () => {
  it('uses the first preferred provider that works, with CPU behind it for the nodes it does not run', async () => {
    const preference: ProviderPreference = { order: ['cuda', 'dml', 'cpu'], passedOver: [] };
    const tried = probe();
    const execution = await chooseOnnxExecution(preference, tried);
    expect(execution).toEqual({ provider: 'cuda', sessionProviders: ['cuda', 'cpu'], passedOver: [] });
    expect(tried.mock.calls).toEqual([['cuda']]);
    expect(onnxRuntimeDetail(execution)).toBe(`onnxruntime-node ${version} cuda`);
  });

  it('falls back past a failing provider to the next, and to CPU, keeping why in the detail', async () => {
    const preference: ProviderPreference = { order: ['cuda', 'dml', 'cpu'], passedOver: [] };
    const failing = probe({
      cuda: 'OrtSessionOptionsAppendExecutionProvider_Cuda: Failed to load shared library\n  at more lines',
      dml: '/onnxruntime_src/x.cc:136 f() adapter_result.status == Success was false. No supported adapters',
    });
    const execution = await chooseOnnxExecution(preference, failing);
    expect(execution.provider).toBe('cpu');
    expect(execution.sessionProviders).toEqual(['cpu']);
    expect(onnxRuntimeDetail(execution)).toBe(
      `onnxruntime-node ${version} cpu (cuda failed: OrtSessionOptionsAppendExecutionProvider_Cuda: Failed to load shared library; dml failed: No supported adapters)`,
    );
  });

  it('needs no probe for CPU, and keeps what the preference passed over', async () => {
    const tried = probe();
    const execution = await chooseOnnxExecution({ order: ['cpu'], passedOver: [{ provider: 'cuda', reason: 'not-installed' }] }, tried);
    expect(tried).not.toHaveBeenCalled();
    expect(onnxRuntimeDetail(execution)).toBe(`onnxruntime-node ${version} cpu (cuda not installed)`);
    expect(onnxExecutionInfo(execution)).toEqual({ provider: 'cpu', fallbacks: ['cuda not installed'] });
  });

  it('is made once and reused, warning only about a provider that was tried and failed', async () => {
    const warn = vi.fn();
    const preference = vi.fn(
      (): ProviderPreference => ({ order: ['cuda', 'cpu'], passedOver: [{ provider: 'dml', reason: 'not-in-build' }] }),
    );
    const tried = probe({ cuda: 'no GPU' });
    const choice = new OnnxExecutionChoice(preference, tried, warn);
    expect(choice.current()).toBeUndefined();
    expect(choice.detail()).toBe(`onnxruntime-node ${version} cuda (to be tried at the first session)`);
    const [first, second] = await Promise.all([choice.get(), choice.get()]);
    expect(second).toBe(first);
    expect(await choice.get()).toBe(first);
    expect(tried).toHaveBeenCalledTimes(1);
    expect(choice.current()).toBe(first);
    expect(choice.detail()).toBe(`onnxruntime-node ${version} cpu (dml not in this onnxruntime-node build; cuda failed: no GPU)`);
    expect(warn.mock.calls).toEqual([['onnxruntime: cuda failed: no GPU; using cpu instead']]);
  });

  it('knows the answer without a session where only CPU is to be tried', async () => {
    const tried = probe();
    const choice = new OnnxExecutionChoice(() => ({ order: ['cpu'], passedOver: [{ provider: 'cuda', reason: 'not-installed' }] }), tried);
    expect(choice.detail()).toBe(`onnxruntime-node ${version} cpu (cuda not installed)`);
    expect(choice.current()?.provider).toBe('cpu');
    expect(await choice.get()).toBe(choice.current());
    expect(tried).not.toHaveBeenCalled();
  });

  it('rejects, and says so in the detail, when the requested provider is not a name it knows', async () => {
    const choice = new OnnxExecutionChoice(() => {
      throw new Error('QA_STATION_ONNX_PROVIDER must be one of cpu, cuda, dml, coreml, webgpu, not "gpu"');
    }, probe());
    expect(choice.detail()).toMatch(/\(no provider: QA_STATION_ONNX_PROVIDER must be one of/);
    await expect(choice.get()).rejects.toThrow(/not "gpu"/);
  });

  it('falls back to CPU for good when a session will not open on the chosen provider, once for sessions that failed together', async () => {
    const warn = vi.fn();
    const choice = new OnnxExecutionChoice(() => ({ order: ['cuda', 'cpu'], passedOver: [] }), probe(), warn);
    const cuda = await choice.get();
    expect(cuda.provider).toBe('cuda');
    const fallback = choice.fallBack(cuda, new Error('CUDA out of memory'));
    expect(fallback).toEqual({
      provider: 'cpu',
      sessionProviders: ['cpu'],
      passedOver: [{ provider: 'cuda', reason: 'failed', message: 'CUDA out of memory' }],
    });
    expect(choice.fallBack(cuda, new Error('CUDA out of memory again'))).toBe(fallback);
    expect(await choice.get()).toBe(fallback);
    expect(choice.detail()).toBe(`onnxruntime-node ${version} cpu (cuda failed: CUDA out of memory)`);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toMatch(/a session did not open on cuda \(CUDA out of memory\); using cpu from now on/);
  });

  // The project's CI: Linux, no GPU, no CUDA provider installed (README, GPU stations), no provider requested.
  const cpuStation =
    process.platform === 'linux' && readOnnxProviderAvailability().cuda !== 'installed' && !process.env.QA_STATION_ONNX_PROVIDER;
  it.runIf(cpuStation)('chooses CPU on a Linux station without the CUDA provider, as the station always ran', async () => {
    const execution = await processOnnxExecution.get();
    expect(onnxRuntimeDetail(execution)).toBe(`onnxruntime-node ${version} cpu (cuda not installed)`);
    expect(execution.provider).toBe('cpu');
    expect(execution.sessionProviders).toEqual(['cpu']);
  });
});
