import {
  ATTRIBUTE_FLOAT,
  ATTRIBUTE_INT,
  ATTRIBUTE_INTS,
  ATTRIBUTE_STRING,
  encodeOnnxModel,
  ONNX_FLOAT,
  ONNX_INT64,
} from './onnxProtoSchema';

/** The ONNX IR and operator-set versions of every graph the station builds. */
export const ONNX_IR_VERSION = 8;
export const ONNX_OPSET = 13;

export type AttributeValue = number | number[] | string | { float: number };

interface NodeJson {
  name: string;
  op_type: string;
  input: string[];
  output: string[];
  attribute: Record<string, unknown>[];
}

/** Collects nodes and initializers of one ONNX graph; shapes are tracked by the caller. */
export class OnnxGraphBuilder {
  private readonly nodes: NodeJson[] = [];
  private readonly initializers: Record<string, unknown>[] = [];
  private readonly inputs: Record<string, unknown>[] = [];
  private readonly outputs: Record<string, unknown>[] = [];
  private readonly names = new Set<string>();

  addFloatInitializer(name: string, dims: readonly number[], values: Float32Array): string {
    const expected = dims.reduce((a, b) => a * b, 1);
    if (values.length !== expected) throw new Error(`Initializer ${name}: ${values.length} values for dims [${dims.join(',')}]`);
    this.claim(name);
    const raw = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
    this.initializers.push({ name, dims: [...dims], data_type: ONNX_FLOAT, raw_data: Buffer.from(raw) });
    return name;
  }

  addInt64Initializer(name: string, values: readonly number[]): string {
    this.claim(name);
    const raw = Buffer.alloc(values.length * 8);
    values.forEach((v, i) => raw.writeBigInt64LE(BigInt(v), i * 8));
    this.initializers.push({ name, dims: [values.length], data_type: ONNX_INT64, raw_data: raw });
    return name;
  }

  addNode(opType: string, name: string, inputs: string[], outputs: string[], attributes: Record<string, AttributeValue> = {}): void {
    for (const output of outputs) this.claim(output);
    this.nodes.push({
      name,
      op_type: opType,
      input: inputs,
      output: outputs,
      attribute: Object.entries(attributes).map(([key, value]) => encodeAttribute(key, value)),
    });
  }

  addInput(name: string, dims: (number | string)[]): void {
    this.claim(name);
    this.inputs.push(valueInfo(name, dims));
  }

  addOutput(name: string, dims: (number | string)[]): void {
    this.outputs.push(valueInfo(name, dims));
  }

  toGraph(name: string, docString: string): Record<string, unknown> {
    return { name, doc_string: docString, node: this.nodes, initializer: this.initializers, input: this.inputs, output: this.outputs };
  }

  /** The whole model, encoded: this graph at the station's IR and opset, with who made it. */
  toModel(model: { graph: string; description: string; producer: string; producerVersion?: string }): Uint8Array {
    return encodeOnnxModel({
      ir_version: ONNX_IR_VERSION,
      producer_name: model.producer,
      ...(model.producerVersion === undefined ? {} : { producer_version: model.producerVersion }),
      doc_string: model.description,
      graph: this.toGraph(model.graph, model.description),
      opset_import: [{ domain: '', version: ONNX_OPSET }],
    });
  }

  private claim(name: string): void {
    if (this.names.has(name)) throw new Error(`ONNX graph already has a value named "${name}"`);
    this.names.add(name);
  }
}

function encodeAttribute(name: string, value: AttributeValue): Record<string, unknown> {
  if (typeof value === 'string') return { name, type: ATTRIBUTE_STRING, s: Buffer.from(value, 'utf8') };
  if (Array.isArray(value)) return { name, type: ATTRIBUTE_INTS, ints: value };
  if (typeof value === 'object') return { name, type: ATTRIBUTE_FLOAT, f: value.float };
  return { name, type: ATTRIBUTE_INT, i: value };
}

function valueInfo(name: string, dims: (number | string)[]): Record<string, unknown> {
  return {
    name,
    type: {
      tensor_type: {
        elem_type: ONNX_FLOAT,
        shape: { dim: dims.map((d) => (typeof d === 'string' ? { dim_param: d } : { dim_value: d })) },
      },
    },
  };
}
