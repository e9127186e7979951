import type { DifferentiableGraph, GraphValue } from '../onnx/differentiableGraph';
import type { ParameterStore } from './parameterStore';

/**
 * networkLayers.ts as graph nodes, for the compiled training steps (compiledSteps.ts): the same
 * functions, checked against the tfjs layers through the whole-step parity tests.
 */

/** The output holding the gradient of a compiled step's parameter `i`. */
export const gradientOutput = (i: number) => `grad_${i}`;

/** A graph under construction and where its layers find their weights (parameters or constants). */
export interface LayerGraph {
  g: DifferentiableGraph;
  weight(name: string): GraphValue;
}

/** The trained parameters as graph inputs under their store names, and layers that read them. */
export function parameterLayers(
  g: DifferentiableGraph,
  store: ParameterStore,
  parameterNames: readonly string[],
  phase: string,
): { params: Map<string, GraphValue>; layers: LayerGraph } {
  const params = new Map(parameterNames.map((name) => [name, g.parameter(name, store.get(name).shape)] as const));
  const weight = (name: string) => {
    const value = params.get(name);
    if (!value) throw new Error(`The ${phase} graph needs parameter ${name}, which this phase does not train`);
    return value;
  };
  return { params, layers: { g, weight } };
}

export function dense(b: LayerGraph, name: string, x: GraphValue, bias = true): GraphValue {
  const y = b.g.matMul(x, b.weight(`${name}/w`));
  return bias ? b.g.add(y, b.weight(`${name}/b`)) : y;
}

export function layerNorm(b: LayerGraph, name: string, x: GraphValue): GraphValue {
  return b.g.layerNorm(x, b.weight(`${name}/gamma`), b.weight(`${name}/beta`), 1e-5);
}

export function feedForward(b: LayerGraph, name: string, x: GraphValue): GraphValue {
  return dense(b, `${name}/out`, b.g.gelu(dense(b, `${name}/in`, x)));
}

/** networkLayers.ts attention, with the heads kept as a batch axis: [b, h, t, dh]. */
export function attention(
  b: LayerGraph,
  name: string,
  queries: GraphValue,
  keysValues: GraphValue,
  heads: number,
  mask?: GraphValue,
): GraphValue {
  const { g } = b;
  const [n, t, w] = queries.shape as [number, number, number];
  const s = keysValues.shape[1] as number;
  const dh = w / heads;
  const split = (x: GraphValue, len: number) => g.transpose(g.reshape(x, [n, len, heads, dh]), [0, 2, 1, 3]);
  const q = split(dense(b, `${name}/q`, queries), t);
  const k = split(dense(b, `${name}/k`, keysValues), s);
  const v = split(dense(b, `${name}/v`, keysValues), s);
  let scores = g.scale(g.matMul(q, g.transpose(k, [0, 1, 3, 2])), 1 / Math.sqrt(dh));
  if (mask) scores = g.add(scores, mask);
  const mixed = g.matMul(g.softmax(scores), v);
  return dense(b, `${name}/o`, g.reshape(g.transpose(mixed, [0, 2, 1, 3]), [n, t, w]));
}
