import { describe, expect, it } from 'vitest';
import { startTfjsRuntime, tf, type ModuleLoader } from '../../../src/main/engine/tfjsRuntime';

const notInstalled = (name: string) =>
  Object.assign(new Error(`Cannot find module '${name}'\nRequire stack: ...`), { code: 'MODULE_NOT_FOUND' });

/** A loader where some packages are missing, some fail as a native library would, some load. */
function loader(behaviour: Record<string, 'missing' | 'broken' | 'loads'>): ModuleLoader {
  return (name) => {
    const what = behaviour[name] ?? 'missing';
    if (what === 'missing') throw notInstalled(name);
    if (what === 'broken') throw new Error('libcudart.so.11.0: cannot open shared object file: No such file or directory');
    return {};
  };
}

describe('TensorFlow.js backend choice', () => {
  it('uses wasm, silently, where no native package is installed', async () => {
    const info = await startTfjsRuntime(undefined, loader({}));
    expect(info.backend).toBe('wasm');
    expect(info.fallback).toBeUndefined();
    expect(info.detail).toMatch(/wasm \((no )?simd, 1 thread\)/);
    expect(tf.getBackend()).toBe('wasm');
  });

  it('falls back to wasm with a clear message where tfjs-node-gpu is installed but its CUDA library fails to load', async () => {
    const info = await startTfjsRuntime(undefined, loader({ '@tensorflow/tfjs-node-gpu': 'broken' }));
    expect(info.backend).toBe('wasm');
    expect(info.fallback).toMatch(/@tensorflow\/tfjs-node-gpu is installed but failed to load \(libcudart\.so\.11\.0/);
    expect(info.fallback).toMatch(/using wasm instead/);
    expect(info.detail).toContain(info.fallback);
  });

  it('falls back where a native package loads but its backend does not start', async () => {
    const info = await startTfjsRuntime(undefined, loader({ '@tensorflow/tfjs-node-gpu': 'broken', '@tensorflow/tfjs-node': 'loads' }));
    expect(info.backend).toBe('wasm');
    expect(info.fallback).toMatch(
      /tfjs-node-gpu is installed but failed to load.*tfjs-node loaded but its 'tensorflow' backend did not start/,
    );
  });

  it('refuses a forced native backend that cannot run, saying why', async () => {
    await expect(startTfjsRuntime('tensorflow', loader({ '@tensorflow/tfjs-node': 'broken' }))).rejects.toThrow(
      /tfjs-node is installed but failed to load/,
    );
    await expect(startTfjsRuntime('tensorflow', loader({}))).rejects.toThrow(/neither .* is installed/);
    await expect(startTfjsRuntime('gpu', loader({}))).rejects.toThrow(/must be wasm, cpu or tensorflow/);
  });
});
