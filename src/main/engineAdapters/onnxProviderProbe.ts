import * as ort from 'onnxruntime-node';
import { buildProviderProbeGraph } from '../engine/executionProviders/providerProbeGraph';

/** How sessions are created: onnxruntime's own, or a stand-in in tests. */
export type OnnxSessionCreator = (
  model: string | Uint8Array,
  options: ort.InferenceSession.SessionOptions,
) => Promise<ort.InferenceSession>;

export const createOrtSession: OnnxSessionCreator = (model, options) =>
  typeof model === 'string' ? ort.InferenceSession.create(model, options) : ort.InferenceSession.create(model, options);

/** GPU providers may use TF32 or half precision: close is right, far off is broken. */
const PROBE_TOLERANCE = 1e-2;

/**
 * Creates and runs the probe graph on one provider; rejects with why when the provider does not
 * start (its libraries or the GPU driver are missing) or computes the wrong numbers.
 */
export async function probeProvider(provider: string, create: OnnxSessionCreator = createOrtSession): Promise<void> {
  const probe = buildProviderProbeGraph();
  const session = await create(probe.graph, { executionProviders: [provider], graphOptimizationLevel: 'all', intraOpNumThreads: 1 });
  try {
    const input = new ort.Tensor('float32', probe.input.data, probe.input.dims);
    const output = (await session.run({ [probe.input.name]: input }))[probe.output.name];
    const got = output?.data as Float32Array | undefined;
    const expected = probe.output.expected;
    if (!got || got.length !== expected.length || got.some((v, i) => !(Math.abs(v - (expected[i] as number)) <= PROBE_TOLERANCE)))
      throw new Error(`the probe graph computed [${got ? Array.from(got).join(', ') : 'nothing'}], expected [${expected.join(', ')}]`);
  } finally {
    await session.release();
  }
}
