import { OnnxGraphBuilder } from '../onnx/onnxGraphBuilder';

/** A tiny graph that tells, in milliseconds, whether an execution provider starts and computes right. */
export interface ProviderProbeGraph {
  graph: Uint8Array;
  input: { name: string; dims: number[]; data: Float32Array };
  output: { name: string; expected: Float32Array };
}

const ROWS = 2;
const INNER = 8;
const COLUMNS = 4;

/**
 * relu(x W + b) on fixed numbers: MatMul, Add and Relu are what every provider runs, so a provider
 * that fails here would fail on the backbone too, and a wrong answer shows a broken one.
 */
export function buildProviderProbeGraph(): ProviderProbeGraph {
  const weights = Float32Array.from({ length: INNER * COLUMNS }, (_, i) => ((i % 7) - 3) / 4);
  const bias = Float32Array.from({ length: COLUMNS }, (_, i) => i / 2 - 1);
  const input = Float32Array.from({ length: ROWS * INNER }, (_, i) => ((i % 5) - 2) / 2);
  const expected = new Float32Array(ROWS * COLUMNS);
  for (let r = 0; r < ROWS; r++)
    for (let c = 0; c < COLUMNS; c++) {
      let sum = bias[c] as number;
      for (let k = 0; k < INNER; k++) sum += (input[r * INNER + k] as number) * (weights[k * COLUMNS + c] as number);
      expected[r * COLUMNS + c] = Math.max(0, sum);
    }

  const g = new OnnxGraphBuilder();
  g.addInput('x', [ROWS, INNER]);
  g.addFloatInitializer('w', [INNER, COLUMNS], weights);
  g.addFloatInitializer('b', [COLUMNS], bias);
  g.addNode('MatMul', 'matmul', ['x', 'w'], ['xw']);
  g.addNode('Add', 'add', ['xw', 'b'], ['xwb']);
  g.addNode('Relu', 'relu', ['xwb'], ['y']);
  g.addOutput('y', [ROWS, COLUMNS]);
  const graph = g.toModel({ graph: 'provider_probe', description: 'execution provider probe', producer: 'qa-station provider-probe' });
  return { graph, input: { name: 'x', dims: [ROWS, INNER], data: input }, output: { name: 'y', expected } };
}
