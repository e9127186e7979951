import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { buildProviderProbeGraph } from '../../../src/main/engine/executionProviders/providerProbeGraph';
import { createOrtSession, type OnnxSessionCreator, probeProvider } from '../../../src/main/engineAdapters/onnxProviderProbe';

describe('execution provider probe', () => {
  it('passes on the CPU provider, whose answer is the one the graph expects', async () => {
    await expect(probeProvider('cpu')).resolves.toBeUndefined();
    const { expected } = buildProviderProbeGraph().output;
    // Both sides of the Relu occur, so a provider that returns zeros or skips the Relu is caught.
    expect(expected.some((v) => v === 0)).toBe(true);
    expect(expected.some((v) => v > 0.5)).toBe(true);
  });

  it('rejects with the reason when the provider does not start', async () => {
    const refusing: OnnxSessionCreator = async () => {
      throw new Error('OrtSessionOptionsAppendExecutionProvider_Cuda: Failed to load shared library');
    };
    await expect(probeProvider('cuda', refusing)).rejects.toThrow(/Failed to load shared library/);
  });

  it('rejects a provider that starts but computes the wrong numbers, and releases its session', async () => {
    let released = false;
    const wrong: OnnxSessionCreator = async (model, options) => {
      const real = await createOrtSession(model, { ...options, executionProviders: ['cpu'] });
      return {
        run: async (feeds: ort.InferenceSession.FeedsType) => {
          const out = await real.run(feeds);
          const data = Float32Array.from(out.y?.data as Float32Array, (v) => v * 2);
          return { y: new ort.Tensor('float32', data, out.y?.dims as number[]) };
        },
        release: async () => {
          released = true;
          await real.release();
        },
      } as unknown as ort.InferenceSession;
    };
    await expect(probeProvider('webgpu', wrong)).rejects.toThrow(/the probe graph computed \[.*\], expected \[/);
    expect(released).toBe(true);
  });
});
