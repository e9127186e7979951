import { seededRandom } from '../seededRandom';
import { tf } from '../tfjsRuntime';

export type Initialiser = 'glorot' | 'zeros' | 'ones' | { normal: number };

/** Named parameter values as plain data: what a model file stores. */
export type ParameterValues = Record<string, { shape: number[]; data: Float32Array }>;

/** tfjs variable names are global to the process; this keeps each store's names unique. */
let variableSerial = 0;
const uniqueName = (name: string) => `${name}#${variableSerial++}`;

function fromValues(values: Float32Array, shape: number[], trainable: boolean, name: string): tf.Variable {
  const initial = tf.tensor(values, shape);
  const variable = tf.variable(initial, trainable, uniqueName(name));
  initial.dispose();
  return variable;
}

/**
 * The trainable (or frozen) tensors of a network, created deterministically from a seed so that
 * the same seed gives the same initial weights on every machine and backend.
 */
export class ParameterStore {
  private readonly variables = new Map<string, tf.Variable>();
  private readonly random: () => number;

  constructor(seed: number) {
    this.random = seededRandom(seed);
  }

  private gaussian(): number {
    const u = Math.max(this.random(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.random());
  }

  create(name: string, shape: number[], init: Initialiser, trainable = true): tf.Variable {
    if (this.variables.has(name)) throw new Error(`Parameter ${name} exists already`);
    const size = shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(size);
    if (init === 'ones') values.fill(1);
    else if (init === 'glorot') {
      const [fanIn, fanOut] = [shape[shape.length - 2] ?? 1, shape[shape.length - 1] ?? 1];
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      for (let i = 0; i < size; i++) values[i] = (this.random() * 2 - 1) * limit;
    } else if (typeof init === 'object') {
      for (let i = 0; i < size; i++) values[i] = this.gaussian() * init.normal;
    }
    const variable = fromValues(values, shape, trainable, name);
    this.variables.set(name, variable);
    return variable;
  }

  get(name: string): tf.Variable {
    const variable = this.variables.get(name);
    if (!variable) throw new Error(`No parameter named ${name}`);
    return variable;
  }

  /** Returns the parameter, creating it on first use (networks declare weights where they use them). */
  use(name: string, shape: number[], init: Initialiser, trainable = true): tf.Variable {
    return this.variables.get(name) ?? this.create(name, shape, init, trainable);
  }

  has(name: string): boolean {
    return this.variables.has(name);
  }

  /** The store's name of one of its variables. */
  nameOf(variable: tf.Variable): string {
    for (const [name, v] of this.variables) if (v === variable) return name;
    throw new Error(`Variable ${variable.name} is not in this store`);
  }

  names(prefix = ''): string[] {
    return [...this.variables.keys()].filter((n) => n.startsWith(prefix));
  }

  trainable(prefix = ''): tf.Variable[] {
    return this.names(prefix)
      .map((n) => this.get(n))
      .filter((v) => v.trainable);
  }

  values(prefix = ''): ParameterValues {
    const out: ParameterValues = {};
    for (const name of this.names(prefix)) {
      const v = this.get(name);
      out[name] = { shape: [...v.shape], data: v.dataSync() as Float32Array };
    }
    return out;
  }

  /** Overwrites existing parameters (or creates them) from stored values. */
  load(values: ParameterValues, trainable = true): void {
    for (const [name, { shape, data }] of Object.entries(values)) {
      const existing = this.variables.get(name);
      if (existing) {
        if (existing.shape.join() !== shape.join())
          throw new Error(`Parameter ${name}: stored shape ${shape} does not match ${existing.shape}`);
        tf.tidy(() => existing.assign(tf.tensor(data, shape)));
      } else {
        this.variables.set(name, fromValues(data, shape, trainable, name));
      }
    }
  }

  setTrainable(prefix: string, trainable: boolean): void {
    for (const name of this.names(prefix)) this.get(name).trainable = trainable;
  }

  dispose(): void {
    for (const v of this.variables.values()) v.dispose();
    this.variables.clear();
  }
}
