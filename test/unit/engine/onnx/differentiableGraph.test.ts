import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { DifferentiableGraph, type GraphValue } from '../../../../src/main/engine/onnx/differentiableGraph';
import { decodeOnnxModel } from '../../../../src/main/engine/onnx/onnxProtoSchema';
import { seededRandom } from '../../../../src/main/engine/seededRandom';
import { referenceGelu } from '../../../../src/main/engine/tensorKernels/gelu';
import { referenceLayerNorm } from '../../../../src/main/engine/tensorKernels/layerNormalisation';
import { initTfjs, tf } from '../../../../src/main/engine/tfjsRuntime';

beforeAll(async () => {
  await initTfjs();
});

type Shape = number[];
interface OpCase {
  name: string;
  shapes: Shape[];
  graph(g: DifferentiableGraph, x: GraphValue[]): GraphValue;
  tfjs(x: tf.Tensor[]): tf.Tensor;
  /** Inputs far from the op's kinks (maximum's ties, clip's ends). */
  spread?: number;
}

const sizeOf = (s: Shape) => s.reduce((a, b) => a * b, 1);

function values(shape: Shape, seed: number, spread = 1): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: sizeOf(shape) }, () => (random() * 2 - 1) * spread);
}

/**
 * loss = sum(op(x) * r) for a fixed random r: the gradient of each input through the graph
 * (onnxruntime) against tf.grads of the same function composed of tfjs's stock ops (its own
 * autodiff, not the training kernels' written-out gradients).
 */
async function compare(c: OpCase): Promise<void> {
  const inputs = c.shapes.map((s, i) => values(s, 10 + i, c.spread));
  const g = new DifferentiableGraph();
  const params = c.shapes.map((s, i) => g.parameter(`x${i}`, s));
  const y = c.graph(g, params);
  const weights = values([...y.shape], 99);
  const loss = g.mean(g.mul(y, g.constant(weights, y.shape)));
  g.output(loss, 'loss');
  g.gradients(loss, params).forEach((grad, i) => g.output(grad, `g${i}`));
  const session = await ort.InferenceSession.create(g.toModel(c.name));
  const feeds = Object.fromEntries(inputs.map((v, i) => [`x${i}`, new ort.Tensor('float32', v, c.shapes[i])]));
  const out = await session.run(feeds);
  await session.release();
  const expected = tf.tidy(() => {
    const tensors = inputs.map((v, i) => tf.tensor(v, c.shapes[i]));
    const f = (...xs: tf.Tensor[]) =>
      c
        .tfjs(xs)
        .mul(tf.tensor(weights, [...y.shape]))
        .mean();
    const { value, grads } = tf.valueAndGrads(f)(tensors);
    return { loss: value.dataSync()[0] as number, grads: grads.map((t) => Array.from(t.dataSync())) };
  });
  expect(out.loss?.data[0] as number).toBeCloseTo(expected.loss, 5);
  expected.grads.forEach((want, i) => {
    const got = Array.from(out[`g${i}`]?.data as Float32Array);
    const scale = Math.max(...want.map(Math.abs));
    const worst = Math.max(...want.map((w, k) => Math.abs(w - (got[k] as number))));
    expect(worst, `${c.name}: input ${i}`).toBeLessThanOrEqual(1e-4 * scale + 1e-7);
  });
}

const CASES: OpCase[] = [
  {
    name: 'matMul 2-D',
    shapes: [
      [5, 3],
      [3, 4],
    ],
    graph: (g, [a, b]) => g.matMul(a!, b!),
    tfjs: ([a, b]) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
  },
  {
    name: 'matMul batched',
    shapes: [
      [2, 5, 3],
      [2, 3, 4],
    ],
    graph: (g, [a, b]) => g.matMul(a!, b!),
    tfjs: ([a, b]) => tf.matMul(a as tf.Tensor3D, b as tf.Tensor3D),
  },
  {
    name: 'matMul with a shared weight',
    shapes: [
      [2, 5, 3],
      [3, 4],
    ],
    graph: (g, [a, b]) => g.matMul(a!, b!),
    tfjs: ([a, b]) => tf.matMul(a!.reshape([10, 3]), b as tf.Tensor2D).reshape([2, 5, 4]),
  },
  { name: 'add with a bias', shapes: [[2, 3, 4], [4]], graph: (g, [a, b]) => g.add(a!, b!), tfjs: ([a, b]) => a!.add(b!) },
  {
    name: 'add with a middle axis broadcast',
    shapes: [
      [2, 3, 4],
      [2, 1, 4],
    ],
    graph: (g, [a, b]) => g.add(a!, b!),
    tfjs: ([a, b]) => a!.add(b!),
  },
  {
    name: 'sub',
    shapes: [
      [3, 4],
      [3, 4],
    ],
    graph: (g, [a, b]) => g.sub(a!, b!),
    tfjs: ([a, b]) => a!.sub(b!),
  },
  {
    name: 'mul with broadcast',
    shapes: [
      [2, 3, 4],
      [3, 1],
    ],
    graph: (g, [a, b]) => g.mul(a!, b!),
    tfjs: ([a, b]) => a!.mul(b!),
  },
  { name: 'scale', shapes: [[3, 4]], graph: (g, [a]) => g.scale(a!, -2.5), tfjs: ([a]) => a!.mul(-2.5) },
  { name: 'square', shapes: [[3, 4]], graph: (g, [a]) => g.square(a!), tfjs: ([a]) => a!.square() },
  {
    name: 'div with broadcast',
    shapes: [
      [2, 3, 4],
      [3, 1],
    ],
    graph: (g, [a, b]) => g.div(a!, g.add(g.square(b!), g.scalar(0.5))),
    tfjs: ([a, b]) => a!.div(b!.square().add(0.5)),
  },
  {
    name: 'sqrt',
    shapes: [[3, 4]],
    graph: (g, [a]) => g.sqrt(g.add(g.square(a!), g.scalar(0.1))),
    tfjs: ([a]) => a!.square().add(0.1).sqrt(),
  },
  { name: 'exp', shapes: [[3, 4]], graph: (g, [a]) => g.exp(a!), tfjs: ([a]) => a!.exp() },
  {
    name: 'maximum',
    shapes: [
      [3, 4],
      [3, 4],
    ],
    graph: (g, [a, b]) => g.maximum(a!, b!),
    tfjs: ([a, b]) => tf.maximum(a!, b!),
  },
  { name: 'clip', shapes: [[4, 5]], spread: 3, graph: (g, [a]) => g.clip(a!, -1, 1.5), tfjs: ([a]) => a!.clipByValue(-1, 1.5) },
  { name: 'reshape', shapes: [[2, 6]], graph: (g, [a]) => g.reshape(a!, [3, -1]), tfjs: ([a]) => a!.reshape([3, 4]) },
  { name: 'transpose', shapes: [[2, 3, 4]], graph: (g, [a]) => g.transpose(a!, [2, 0, 1]), tfjs: ([a]) => a!.transpose([2, 0, 1]) },
  { name: 'slice', shapes: [[2, 3, 7]], graph: (g, [a]) => g.slice(a!, [2], [2], [3]), tfjs: ([a]) => a!.slice([0, 0, 2], [-1, -1, 3]) },
  {
    name: 'concat',
    shapes: [
      [2, 3],
      [2, 2],
    ],
    graph: (g, [a, b]) => g.concat([a!, b!], 1),
    tfjs: ([a, b]) => tf.concat([a!, b!], 1),
  },
  { name: 'expand', shapes: [[3, 4]], graph: (g, [a]) => g.expand(a!, [2, 3, 4]), tfjs: ([a]) => a!.expandDims(0).tile([2, 1, 1]) },
  { name: 'sumKeep', shapes: [[2, 3, 4]], graph: (g, [a]) => g.sumKeep(a!, [0, 2]), tfjs: ([a]) => a!.sum([0, 2], true) },
  { name: 'meanLast', shapes: [[2, 3, 4]], graph: (g, [a]) => g.meanLast(a!), tfjs: ([a]) => a!.mean(-1, true) },
  { name: 'softmax', shapes: [[2, 3, 5]], spread: 3, graph: (g, [a]) => g.softmax(a!), tfjs: ([a]) => tf.softmax(a!) },
  { name: 'logSoftmax', shapes: [[2, 3, 5]], spread: 3, graph: (g, [a]) => g.logSoftmax(a!), tfjs: ([a]) => tf.logSoftmax(a!) },
  { name: 'gelu', shapes: [[3, 8]], spread: 4, graph: (g, [a]) => g.gelu(a!), tfjs: ([a]) => referenceGelu(a!) },
  {
    name: 'layerNorm',
    shapes: [[2, 3, 6], [6], [6]],
    graph: (g, [x, gamma, beta]) => g.layerNorm(x!, gamma!, beta!, 1e-5),
    tfjs: ([x, gamma, beta]) => referenceLayerNorm(x!, gamma!, beta!, 1e-5),
  },
];

describe('DifferentiableGraph', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('gives tfjs gradient for %s', async (_, c) => {
    await compare(c);
  });

  it('sums the gradients of a value used twice, and gives zeros to a parameter the loss does not reach', async () => {
    const g = new DifferentiableGraph();
    const [x, unused] = [g.parameter('x', [3]), g.parameter('u', [2])];
    const loss = g.mean(g.mul(x, g.add(x, x))); // mean(2 x^2): d/dx = 4x / 3
    g.output(loss, 'loss');
    g.gradients(loss, [x, unused]).forEach((grad, i) => g.output(grad, `g${i}`));
    const session = await ort.InferenceSession.create(g.toModel('reuse'));
    const out = await session.run({
      x: new ort.Tensor('float32', Float32Array.of(1, -2, 3), [3]),
      u: new ort.Tensor('float32', new Float32Array(2), [2]),
    });
    await session.release();
    Array.from(out.g0?.data as Float32Array).forEach((v, i) => expect(v).toBeCloseTo((4 * [1, -2, 3][i]!) / 3, 5));
    expect(Array.from(out.g1?.data as Float32Array)).toEqual([0, 0]);
  });

  it('emits no node for the gradient of a data input', () => {
    const g = new DifferentiableGraph();
    const [x, w] = [g.data('x', [4, 3]), g.parameter('w', [3, 2])];
    const loss = g.mean(g.matMul(x, w));
    g.gradients(loss, [w]).forEach((grad, i) => g.output(grad, `g${i}`));
    const graph = (decodeOnnxModel(g.toModel('data')) as { graph: { node: { op_type: string }[] } }).graph;
    // The forward product and dW = x^T dy; no dx = dy w^T.
    expect(graph.node.filter((n) => n.op_type === 'MatMul')).toHaveLength(2);
  });

  it('refuses shapes that do not fit', () => {
    const g = new DifferentiableGraph();
    expect(() => g.matMul(g.parameter('a', [2, 3]), g.parameter('b', [4, 2]))).toThrow(/matMul/);
    // Batch broadcasting the gradients are not written for.
    expect(() => g.matMul(g.parameter('a1', [2, 5, 3]), g.parameter('b1', [1, 3, 4]))).toThrow(/equal batch axes/);
    expect(() => g.matMul(g.parameter('a2', [1, 5, 3]), g.parameter('b2', [2, 3, 4]))).toThrow(/equal batch axes/);
    const c = g.parameter('c1', [2, 3]);
    expect(() => g.concat([c, c], -1)).toThrow(/axis -1/);
    expect(() => g.concat([c, g.parameter('c2', [3, 3])], 1)).toThrow(/differ elsewhere/);
    expect(() => g.slice(c, [1], [2], [2])).toThrow(/outside/);
    expect(() => g.transpose(c, [0, 0])).toThrow(/permutation/);
    expect(() => g.reshape(c, [-1, -1])).toThrow(/reshape/);
    expect(() => g.add(g.parameter('c', [2, 3]), g.parameter('d', [4]))).toThrow(/broadcast/);
    expect(() => g.gradients(g.parameter('e', [2]), [])).toThrow(/scalar/);
  });
});
