import { type AttributeValue, OnnxGraphBuilder } from './onnxGraphBuilder';
import { ONNX_FLOAT } from './onnxProtoSchema';

/** A float tensor of the graph, with the shape the graph gives it. */
export interface GraphValue {
  readonly name: string;
  readonly shape: readonly number[];
}

/** Builds one input's gradient; called only for inputs a gradient is wanted for. */
type GradientOf = (() => GraphValue) | undefined;

interface TapeEntry {
  inputs: readonly GraphValue[];
  output: GraphValue;
  /**
   * How to build each input's gradient, given the output's (undefined: none flows there). Lazy,
   * so that no node is emitted for data inputs: onnxruntime would run them all the same.
   */
  backward(dy: GraphValue): GradientOf[];
}

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const pad = (s: readonly number[]) => [...Array(rank - s.length).fill(1), ...s] as number[];
  const [pa, pb] = [pad(a), pad(b)];
  return pa.map((d, i) => {
    const e = pb[i] as number;
    if (d !== e && d !== 1 && e !== 1) throw new Error(`Shapes [${a.join(',')}] and [${b.join(',')}] do not broadcast`);
    return Math.max(d, e);
  });
}

/**
 * An ONNX graph that knows its own gradient: every op records how to pass a gradient back, and
 * `gradients` emits the backward pass as more ONNX nodes, so onnxruntime computes a training step's
 * loss and parameter gradients in one run (docs/ARCHITECTURE.md, Training on onnxruntime). Shapes
 * are concrete; only the ops the LTAD networks use are here, each checked against tfjs's own
 * gradient in the tests.
 */
export class DifferentiableGraph {
  private readonly builder = new OnnxGraphBuilder();
  private readonly tape: TapeEntry[] = [];
  /** Values a gradient can reach (parameters and what depends on them). */
  private readonly differentiable = new Set<string>();
  private serial = 0;
  private recording = true;
  private readonly int64Constants = new Map<string, string>();
  private readonly floatConstants = new Map<number, GraphValue>();

  /** A graph input that no gradient is wanted for (token maps, labels, masks). */
  data(name: string, shape: readonly number[]): GraphValue {
    this.builder.addInput(name, [...shape]);
    return { name, shape };
  }

  /** A graph input whose gradient `gradients` can return. */
  parameter(name: string, shape: readonly number[]): GraphValue {
    const value = this.data(name, shape);
    this.differentiable.add(name);
    return value;
  }

  /** A constant tensor held in the graph. */
  constant(values: Float32Array, shape: readonly number[]): GraphValue {
    const name = this.fresh('const');
    this.builder.addFloatInitializer(name, shape, values);
    return { name, shape };
  }

  scalar(value: number): GraphValue {
    let constant = this.floatConstants.get(value);
    if (!constant) {
      constant = this.constant(Float32Array.of(value), []);
      this.floatConstants.set(value, constant);
    }
    return constant;
  }

  output(value: GraphValue, name: string): void {
    this.builder.addNode('Identity', this.fresh('out'), [value.name], [name]);
    this.builder.addOutput(name, [...value.shape]);
  }

  toModel(description: string): Uint8Array {
    return this.builder.toModel({ graph: 'training_step', description, producer: 'qa-station' });
  }

  // ---- ops ----------------------------------------------------------------------------------

  /** [m,k]x[k,n], [b,m,k]x[b,k,n], or [b,m,k]x[k,n] (the weight shared by every item). */
  matMul(a: GraphValue, b: GraphValue): GraphValue {
    const [m, k] = a.shape.slice(-2) as [number, number];
    const [kb, n] = b.shape.slice(-2) as [number, number];
    const sharedWeight = b.shape.length === 2 && a.shape.length > 2;
    // Only these forms: the gradients below are written for them (no other batch broadcasting).
    const sameBatch = a.shape.length === b.shape.length && a.shape.slice(0, -2).every((d, i) => d === b.shape[i]);
    if (a.shape.length < 2 || k !== kb || !(sameBatch || sharedWeight))
      throw new Error(
        `matMul of [${a.shape.join(',')}] and [${b.shape.join(',')}]: wants [..,m,k]x[..,k,n] with equal batch axes, or [..,m,k]x[k,n]`,
      );
    const shape = [...a.shape.slice(0, -2), m, n];
    return this.record('MatMul', [a, b], shape, {}, (dy) => [
      () => this.matMul(dy, this.swapLast(b)),
      () =>
        sharedWeight ? this.matMul(this.swapLast(this.reshape(a, [-1, k])), this.reshape(dy, [-1, n])) : this.matMul(this.swapLast(a), dy),
    ]);
  }

  add(a: GraphValue, b: GraphValue): GraphValue {
    return this.record('Add', [a, b], broadcastShape(a.shape, b.shape), {}, (dy) => [
      () => this.unbroadcast(dy, a.shape),
      () => this.unbroadcast(dy, b.shape),
    ]);
  }

  sub(a: GraphValue, b: GraphValue): GraphValue {
    return this.record('Sub', [a, b], broadcastShape(a.shape, b.shape), {}, (dy) => [
      () => this.unbroadcast(dy, a.shape),
      () => this.unbroadcast(this.scale(dy, -1), b.shape),
    ]);
  }

  mul(a: GraphValue, b: GraphValue): GraphValue {
    return this.record('Mul', [a, b], broadcastShape(a.shape, b.shape), {}, (dy) => [
      () => this.unbroadcast(this.mul(dy, b), a.shape),
      () => this.unbroadcast(this.mul(dy, a), b.shape),
    ]);
  }

  scale(a: GraphValue, factor: number): GraphValue {
    return this.mul(a, this.scalar(factor));
  }

  square(a: GraphValue): GraphValue {
    return this.record('Mul', [a, a], a.shape, {}, (dy) => [() => this.mul(dy, this.scale(a, 2))], 'square');
  }

  div(a: GraphValue, b: GraphValue): GraphValue {
    const y = this.record('Div', [a, b], broadcastShape(a.shape, b.shape), {}, (dy) => [
      () => this.unbroadcast(this.div(dy, b), a.shape),
      () => this.unbroadcast(this.scale(this.mul(dy, this.div(y, b)), -1), b.shape),
    ]);
    return y;
  }

  sqrt(a: GraphValue): GraphValue {
    const y = this.record('Sqrt', [a], a.shape, {}, (dy) => [() => this.div(this.scale(dy, 0.5), y)]);
    return y;
  }

  exp(a: GraphValue): GraphValue {
    const y = this.record('Exp', [a], a.shape, {}, (dy) => [() => this.mul(dy, y)]);
    return y;
  }

  /** Elementwise maximum; ties send the gradient to `a`, as tfjs does. */
  maximum(a: GraphValue, b: GraphValue): GraphValue {
    if (!sameShape(a.shape, b.shape)) throw new Error('maximum wants equal shapes');
    const bWins = () => this.cast(this.raw('Less', [a.name, b.name], a.shape));
    return this.record('Max', [a, b], a.shape, {}, (dy) => [
      () => this.mul(dy, this.sub(this.scalar(1), bWins())),
      () => this.mul(dy, bWins()),
    ]);
  }

  /** Clipped to [lo, hi]; the gradient passes where the input lies inside, ends included (as tfjs). */
  clip(a: GraphValue, lo: number, hi: number): GraphValue {
    return this.record('Clip', [a, this.scalar(lo), this.scalar(hi)], a.shape, {}, (dy) => [
      () => {
        const below = this.cast(this.raw('Less', [a.name, this.scalar(lo).name], a.shape));
        const above = this.cast(this.raw('Greater', [a.name, this.scalar(hi).name], a.shape));
        return this.mul(dy, this.sub(this.sub(this.scalar(1), below), above));
      },
    ]);
  }

  reshape(a: GraphValue, shape: readonly number[]): GraphValue {
    const known = shape.filter((d) => d !== -1).reduce((x, y) => x * y, 1);
    const resolved = shape.map((d) => (d === -1 ? sizeOf(a.shape) / known : d));
    const valid = shape.filter((d) => d === -1).length <= 1 && resolved.every((d) => Number.isInteger(d) && d >= 0);
    if (!valid || sizeOf(resolved) !== sizeOf(a.shape)) throw new Error(`Cannot reshape [${a.shape.join(',')}] to [${shape.join(',')}]`);
    return this.record('Reshape', [a, this.int64(resolved)], resolved, {}, (dy) => [() => this.reshape(dy, a.shape)]);
  }

  transpose(a: GraphValue, perm: readonly number[]): GraphValue {
    const isPermutation = perm.length === a.shape.length && [...perm].sort((x, y) => x - y).every((p, i) => p === i);
    if (!isPermutation) throw new Error(`transpose of [${a.shape.join(',')}] by [${perm.join(',')}]: not a permutation of its axes`);
    const inverse = perm.map((_, i) => perm.indexOf(i));
    return this.record(
      'Transpose',
      [a],
      perm.map((p) => a.shape[p] as number),
      { perm: [...perm] },
      (dy) => [() => this.transpose(dy, inverse)],
    );
  }

  /** a[starts : starts + sizes] along `axes`. */
  slice(a: GraphValue, axes: readonly number[], starts: readonly number[], sizes: readonly number[]): GraphValue {
    const shape = [...a.shape];
    axes.forEach((axis, i) => {
      const [start, size, length] = [starts[i] as number, sizes[i] as number, a.shape[axis] as number];
      if (!(axis >= 0 && axis < a.shape.length) || start < 0 || size < 1 || start + size > length)
        throw new Error(`slice of [${a.shape.join(',')}]: axis ${axis}, start ${start}, size ${size} lies outside it`);
      shape[axis] = size;
    });
    const ends = starts.map((s, i) => s + (sizes[i] as number));
    return this.record('Slice', [a, this.int64(starts), this.int64(ends), this.int64(axes)], shape, {}, (dy) => [
      () => {
        const before = a.shape.map(() => 0);
        const after = a.shape.map(() => 0);
        axes.forEach((axis, i) => {
          before[axis] = starts[i] as number;
          after[axis] = (a.shape[axis] as number) - (ends[i] as number);
        });
        return this.padZeros(dy, [...before, ...after], a.shape);
      },
    ]);
  }

  concat(values: readonly GraphValue[], axis: number): GraphValue {
    const first = values[0];
    if (!first || !(axis >= 0 && axis < first.shape.length))
      throw new Error(`concat along axis ${axis}: wants values and an axis of theirs`);
    const fits = values.every((v) => v.shape.length === first.shape.length && v.shape.every((d, i) => i === axis || d === first.shape[i]));
    if (!fits)
      throw new Error(`concat along axis ${axis}: shapes ${values.map((v) => `[${v.shape.join(',')}]`).join(' ')} differ elsewhere`);
    const shape = [...first.shape];
    shape[axis] = values.reduce((sum, v) => sum + (v.shape[axis] as number), 0);
    const offsets = values.map((_, i) => values.slice(0, i).reduce((sum, v) => sum + (v.shape[axis] as number), 0));
    return this.record('Concat', values, shape, { axis }, (dy) =>
      values.map((v, i) => () => this.slice(dy, [axis], [offsets[i] as number], [v.shape[axis] as number])),
    );
  }

  /** Broadcast to `shape` (as numpy broadcasting); the gradient is summed back. */
  expand(a: GraphValue, shape: readonly number[]): GraphValue {
    return this.record('Expand', [a, this.int64(shape)], broadcastShape(a.shape, shape), {}, (dy) => [() => this.unbroadcast(dy, a.shape)]);
  }

  /** Mean over every element: a scalar. */
  mean(a: GraphValue): GraphValue {
    return this.record('ReduceMean', [a], [], { keepdims: 0 }, (dy) => [() => this.expand(this.scale(dy, 1 / sizeOf(a.shape)), a.shape)]);
  }

  /** Sum over `axes`, kept as size-1 axes. */
  sumKeep(a: GraphValue, axes: readonly number[]): GraphValue {
    const shape = a.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    return this.record('ReduceSum', [a, this.int64(axes)], shape, { keepdims: 1 }, (dy) => [() => this.expand(dy, a.shape)]);
  }

  /** Mean over the last axis, kept. */
  meanLast(a: GraphValue): GraphValue {
    const last = a.shape.length - 1;
    return this.scale(this.sumKeep(a, [last]), 1 / (a.shape[last] as number));
  }

  softmax(a: GraphValue): GraphValue {
    const last = a.shape.length - 1;
    const y = this.record('Softmax', [a], a.shape, { axis: last }, (dy) => [
      () => this.mul(y, this.sub(dy, this.sumKeep(this.mul(dy, y), [last]))),
    ]);
    return y;
  }

  logSoftmax(a: GraphValue): GraphValue {
    const last = a.shape.length - 1;
    const y = this.record('LogSoftmax', [a], a.shape, { axis: last }, (dy) => [
      () => this.sub(dy, this.mul(this.exp(y), this.sumKeep(dy, [last]))),
    ]);
    return y;
  }

  /**
   * GELU (tanh form) written as x sigmoid(2u), u = C (x + A x^3), with its derivative
   * s + x s (1 - s) 2C (1 + 3A x^2): the same function and gradient as the training kernel.
   */
  gelu(x: GraphValue): GraphValue {
    const C = Math.sqrt(2 / Math.PI);
    const A = 0.044715;
    const s = this.detached(() => this.sigmoid(this.mul(this.scale(x, 2 * C), this.add(this.scale(this.mul(x, x), A), this.scalar(1)))));
    return this.record(
      'Mul',
      [x, s],
      x.shape,
      {},
      (dy) => [
        () => {
          const slope = this.mul(
            this.mul(this.scale(x, 2 * C), this.sub(s, this.mul(s, s))),
            this.add(this.scale(this.mul(x, x), 3 * A), this.scalar(1)),
          );
          return this.mul(dy, this.add(slope, s));
        },
        undefined,
      ],
      'gelu',
    );
  }

  /**
   * Layer normalisation over the last axis, with the gradient written out: n = (x - mean) r,
   * r = 1 / sqrt(var + eps), g = dy gamma; dx = r (g - mean(g) - n mean(g n)).
   */
  layerNorm(x: GraphValue, gamma: GraphValue, beta: GraphValue, epsilon: number): GraphValue {
    const { n, r } = this.detached(() => {
      const centred = this.sub(x, this.meanLast(x));
      const variance = this.meanLast(this.mul(centred, centred));
      const r = this.raw(
        'Reciprocal',
        [this.raw('Sqrt', [this.add(variance, this.scalar(epsilon)).name], variance.shape).name],
        variance.shape,
      );
      return { n: this.mul(centred, r), r };
    });
    const scaled = this.record(
      'Mul',
      [n, gamma, x],
      x.shape,
      {},
      (dy) => [
        undefined,
        () => this.unbroadcast(this.mul(dy, n), gamma.shape),
        () => {
          const g = this.mul(dy, gamma);
          return this.mul(this.sub(this.sub(g, this.meanLast(g)), this.mul(n, this.meanLast(this.mul(g, n)))), r);
        },
      ],
      'layerNorm',
      [n, gamma],
    );
    return this.add(scaled, beta);
  }

  // ---- the backward pass --------------------------------------------------------------------

  /** Emits d(loss)/d(each of `wrt`) (zeros where the loss does not reach one). */
  gradients(loss: GraphValue, wrt: readonly GraphValue[]): GraphValue[] {
    if (loss.shape.length !== 0) throw new Error('The loss must be a scalar');
    this.recording = false;
    try {
      const grads = new Map<string, GraphValue>([[loss.name, this.scalar(1)]]);
      for (let i = this.tape.length - 1; i >= 0; i--) {
        const entry = this.tape[i] as TapeEntry;
        const dy = grads.get(entry.output.name);
        if (!dy) continue;
        entry.backward(dy).forEach((gradientOf, k) => {
          const input = entry.inputs[k] as GraphValue;
          if (!gradientOf || !this.differentiable.has(input.name)) return;
          const g = gradientOf();
          const sofar = grads.get(input.name);
          grads.set(input.name, sofar ? this.add(sofar, g) : g);
        });
      }
      return wrt.map((p) => grads.get(p.name) ?? this.constant(new Float32Array(sizeOf(p.shape)), p.shape));
    } finally {
      this.recording = true;
    }
  }

  // ---- plumbing -----------------------------------------------------------------------------

  private fresh(prefix: string): string {
    return `${prefix}_${this.serial++}`;
  }

  /** Emits one node; while recording, notes its backward when any input is differentiable. */
  private record(
    op: string,
    inputs: readonly GraphValue[],
    shape: readonly number[],
    attributes: Record<string, AttributeValue>,
    backward: TapeEntry['backward'],
    label = op,
    nodeInputs?: readonly GraphValue[],
  ): GraphValue {
    const output = this.raw(
      op,
      (nodeInputs ?? inputs).map((v) => v.name),
      shape,
      attributes,
      label,
    );
    if (this.recording && inputs.some((v) => this.differentiable.has(v.name))) {
      this.differentiable.add(output.name);
      this.tape.push({ inputs, output, backward });
    }
    return output;
  }

  private raw(
    op: string,
    inputs: string[],
    shape: readonly number[],
    attributes: Record<string, AttributeValue> = {},
    label = op,
  ): GraphValue {
    const name = this.fresh(label);
    this.builder.addNode(op, name, inputs, [name], attributes);
    return { name, shape };
  }

  /** Values computed for a fused op's own use: nothing on the tape goes through them. */
  private detached<T>(build: () => T): T {
    const was = this.recording;
    this.recording = false;
    try {
      return build();
    } finally {
      this.recording = was;
    }
  }

  private sigmoid(a: GraphValue): GraphValue {
    return this.raw('Sigmoid', [a.name], a.shape);
  }

  private cast(a: GraphValue): GraphValue {
    return this.raw('Cast', [a.name], a.shape, { to: ONNX_FLOAT });
  }

  private swapLast(a: GraphValue): GraphValue {
    const r = a.shape.length;
    return this.transpose(a, [...Array.from({ length: r - 2 }, (_, i) => i), r - 1, r - 2]);
  }

  private padZeros(a: GraphValue, pads: readonly number[], shape: readonly number[]): GraphValue {
    return this.raw('Pad', [a.name, this.int64(pads).name], shape, { mode: 'constant' });
  }

  /** Sums a broadcast gradient back to the operand's shape. */
  private unbroadcast(g: GraphValue, shape: readonly number[]): GraphValue {
    if (sameShape(g.shape, shape)) return g;
    const lead = g.shape.length - shape.length;
    const axes = g.shape.flatMap((d, i) => (i < lead || (shape[i - lead] === 1 && d !== 1) ? [i] : []));
    const summed = axes.length > 0 ? this.sumKeep(g, axes) : g;
    return sameShape(summed.shape, shape) ? summed : this.reshape(summed, shape);
  }

  private int64(values: readonly number[]): GraphValue {
    const key = values.join(',');
    let name = this.int64Constants.get(key);
    if (!name) {
      name = this.builder.addInt64Initializer(this.fresh('ints'), values);
      this.int64Constants.set(key, name);
    }
    return { name, shape: [values.length] };
  }
}
