import { describe, expect, it } from 'vitest';
import {
  describePassedOver,
  type ListedProvider,
  preferProviders,
} from '../../../../src/main/engine/executionProviders/providerPreference';

// What onnxruntime-node 1.30's listSupportedBackends() says on each platform's binary.
const LINUX_X64: ListedProvider[] = [
  { name: 'cpu', bundled: true },
  { name: 'webgpu', bundled: true },
  { name: 'cuda', bundled: false },
  { name: 'tensorrt', bundled: false },
];
const LINUX_ARM64: ListedProvider[] = [{ name: 'cpu', bundled: true }];
const WIN32_X64: ListedProvider[] = [
  { name: 'cpu', bundled: true },
  { name: 'dml', bundled: true },
  { name: 'webgpu', bundled: true },
];
const DARWIN_ARM64: ListedProvider[] = [
  { name: 'cpu', bundled: true },
  { name: 'coreml', bundled: true },
  { name: 'webgpu', bundled: true },
];

describe('execution provider preference', () => {
  it('stays on CPU on Linux x64 while the CUDA provider is not installed, and says so', () => {
    expect(preferProviders({ platform: 'linux', listed: LINUX_X64, installed: [] })).toEqual({
      order: ['cpu'],
      passedOver: [{ provider: 'cuda', reason: 'not-installed' }],
    });
  });

  it('tries CUDA first on Linux once its libraries are in place, never the WebGPU or TensorRT it was not asked for', () => {
    expect(preferProviders({ platform: 'linux', listed: LINUX_X64, installed: ['cuda', 'tensorrt'] })).toEqual({
      order: ['cuda', 'cpu'],
      passedOver: [],
    });
  });

  it('says nothing about CUDA where the binary has no CUDA provider at all (Linux arm64)', () => {
    expect(preferProviders({ platform: 'linux', listed: LINUX_ARM64, installed: [] })).toEqual({ order: ['cpu'], passedOver: [] });
  });

  it('prefers DirectML on Windows, and CUDA before it where that is installed', () => {
    expect(preferProviders({ platform: 'win32', listed: WIN32_X64, installed: [] }).order).toEqual(['dml', 'cpu']);
    const withCuda = [...WIN32_X64, { name: 'cuda', bundled: false }];
    expect(preferProviders({ platform: 'win32', listed: withCuda, installed: [] })).toEqual({
      order: ['dml', 'cpu'],
      passedOver: [{ provider: 'cuda', reason: 'not-installed' }],
    });
    expect(preferProviders({ platform: 'win32', listed: withCuda, installed: ['cuda'] }).order).toEqual(['cuda', 'dml', 'cpu']);
  });

  it('prefers CoreML on macOS', () => {
    expect(preferProviders({ platform: 'darwin', listed: DARWIN_ARM64, installed: [] }).order).toEqual(['coreml', 'cpu']);
  });

  it('uses CPU alone on a platform it has no preference for', () => {
    expect(preferProviders({ platform: 'freebsd', listed: LINUX_X64, installed: ['cuda'] }).order).toEqual(['cpu']);
  });

  it('tries only the requested provider before CPU, and explains one it cannot try', () => {
    expect(preferProviders({ platform: 'linux', listed: LINUX_X64, installed: [], requested: 'webgpu' }).order).toEqual(['webgpu', 'cpu']);
    expect(preferProviders({ platform: 'win32', listed: WIN32_X64, installed: [], requested: ' CPU ' })).toEqual({
      order: ['cpu'],
      passedOver: [],
    });
    expect(preferProviders({ platform: 'linux', listed: LINUX_X64, installed: [], requested: 'dml' })).toEqual({
      order: ['cpu'],
      passedOver: [{ provider: 'dml', reason: 'not-in-build' }],
    });
    expect(preferProviders({ platform: 'linux', listed: LINUX_X64, installed: [], requested: 'cuda' }).passedOver).toEqual([
      { provider: 'cuda', reason: 'not-installed' },
    ]);
    expect(preferProviders({ platform: 'linux', listed: LINUX_X64, installed: [], requested: '' }).order).toEqual(['cpu']);
  });

  it('refuses a provider name it does not know', () => {
    expect(() => preferProviders({ platform: 'linux', listed: LINUX_X64, installed: [], requested: 'gpu' })).toThrow(
      /QA_STATION_ONNX_PROVIDER must be one of cpu, cuda, dml, coreml, webgpu, not "gpu"/,
    );
  });

  it('words each reason for the runtime detail', () => {
    expect(describePassedOver({ provider: 'cuda', reason: 'not-installed' })).toBe('cuda not installed');
    expect(describePassedOver({ provider: 'dml', reason: 'not-in-build' })).toBe('dml not in this onnxruntime-node build');
    expect(describePassedOver({ provider: 'cuda', reason: 'failed', message: 'libcudnn.so.9: cannot open' })).toBe(
      'cuda failed: libcudnn.so.9: cannot open',
    );
  });
});
