import type { KerasLayerJson } from '../kerasTopology';
import type { AttributeValue, OnnxGraphBuilder } from '../../onnx/onnxGraphBuilder';

/** Channels-first shape of one image's tensor inside the ONNX graph. */
export interface ChwShape {
  c: number;
  h: number;
  w: number;
}

export interface LayerWeight {
  shape: number[];
  data: Float32Array;
}

export interface ConversionContext {
  builder: OnnxGraphBuilder;
  shapeOf(tensor: string): ChwShape;
  /** The layer's weights keyed by their short name: kernel, bias, gamma, beta, moving_mean, ... */
  weightsOf(layerName: string): Map<string, LayerWeight>;
}

/** Emits the ONNX nodes of one Keras layer, writing its result to a value named like the layer. */
export type LayerConverter = (layer: KerasLayerJson, inputs: string[], ctx: ConversionContext) => ChwShape;

function pair(value: unknown, what: string, layer: string): [number, number] {
  if (Array.isArray(value) && value.length === 2 && value.every((v) => Number.isInteger(v))) return [value[0], value[1]];
  if (Number.isInteger(value)) return [value as number, value as number];
  throw new Error(`Layer ${layer}: cannot read ${what} from ${JSON.stringify(value)}`);
}

function channelsLast(layer: KerasLayerJson): void {
  const format = layer.config.data_format;
  if (format !== undefined && format !== 'channels_last')
    throw new Error(`Layer ${layer.name}: data_format ${String(format)} is not supported`);
}

/** TensorFlow's padding rule for one spatial axis: [before, after, output size]. */
export function spatialPadding(size: number, kernel: number, stride: number, dilation: number, mode: string): [number, number, number] {
  const effective = (kernel - 1) * dilation + 1;
  if (mode === 'valid') return [0, 0, Math.floor((size - effective) / stride) + 1];
  if (mode !== 'same') throw new Error(`Padding mode "${mode}" is not supported`);
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + effective - size, 0);
  const before = Math.floor(total / 2);
  return [before, total - before, out];
}

interface WindowGeometry {
  pads: number[];
  h: number;
  w: number;
  kernel: [number, number];
  strides: [number, number];
  dilations: [number, number];
}

function windowGeometry(layer: KerasLayerJson, input: ChwShape, kernelKey: string, kernel?: [number, number]): WindowGeometry {
  const k = kernel ?? pair(layer.config[kernelKey], kernelKey, layer.name);
  const strides = pair(layer.config.strides ?? k, 'strides', layer.name);
  const dilations = pair(layer.config.dilation_rate ?? 1, 'dilation_rate', layer.name);
  const mode = String(layer.config.padding ?? 'valid');
  const [top, bottom, h] = spatialPadding(input.h, k[0], strides[0], dilations[0], mode);
  const [left, right, w] = spatialPadding(input.w, k[1], strides[1], dilations[1], mode);
  return { pads: [top, left, bottom, right], h, w, kernel: k, strides, dilations };
}

function requireWeight(weights: Map<string, LayerWeight>, key: string, layer: string): LayerWeight {
  const weight = weights.get(key);
  if (!weight) throw new Error(`Layer ${layer}: weight "${key}" is missing`);
  return weight;
}

/** Keras kernel [kh, kw, cin, cout] to ONNX Conv weight [cout, cin, kh, kw]. */
export function convKernelToOihw(kernel: LayerWeight): LayerWeight {
  const [kh, kw, cin, cout] = kernel.shape as [number, number, number, number];
  const out = new Float32Array(kernel.data.length);
  for (let i = 0; i < kh; i++)
    for (let j = 0; j < kw; j++)
      for (let ci = 0; ci < cin; ci++)
        for (let co = 0; co < cout; co++)
          out[((co * cin + ci) * kh + i) * kw + j] = kernel.data[((i * kw + j) * cin + ci) * cout + co] as number;
  return { shape: [cout, cin, kh, kw], data: out };
}

/** Keras depthwise kernel [kh, kw, cin, multiplier] to a grouped ONNX Conv weight [cin*m, 1, kh, kw]. */
export function depthwiseKernelToOihw(kernel: LayerWeight): LayerWeight {
  const [kh, kw, cin, mult] = kernel.shape as [number, number, number, number];
  const out = new Float32Array(kernel.data.length);
  for (let i = 0; i < kh; i++)
    for (let j = 0; j < kw; j++)
      for (let c = 0; c < cin; c++)
        for (let m = 0; m < mult; m++) out[((c * mult + m) * kh + i) * kw + j] = kernel.data[((i * kw + j) * cin + c) * mult + m] as number;
  return { shape: [cin * mult, 1, kh, kw], data: out };
}

/** Appends a Keras activation after `input`, writing to `output`. */
function emitActivation(activation: string, input: string, output: string, ctx: ConversionContext): void {
  switch (activation) {
    case 'linear':
      ctx.builder.addNode('Identity', output, [input], [output]);
      return;
    case 'relu':
      ctx.builder.addNode('Relu', output, [input], [output]);
      return;
    case 'relu6':
      emitClip(input, output, 0, 6, ctx);
      return;
    case 'sigmoid':
      ctx.builder.addNode('Sigmoid', output, [input], [output]);
      return;
    case 'tanh':
      ctx.builder.addNode('Tanh', output, [input], [output]);
      return;
    default:
      throw new Error(`Activation "${activation}" (layer ${output}) is not supported by the converter`);
  }
}

function emitClip(input: string, output: string, min: number, max: number, ctx: ConversionContext): void {
  const lo = ctx.builder.addFloatInitializer(`${output}/clip_min`, [], new Float32Array([min]));
  const hi = ctx.builder.addFloatInitializer(`${output}/clip_max`, [], new Float32Array([max]));
  ctx.builder.addNode('Clip', output, [input, lo, hi], [output]);
}

function convolution(depthwise: boolean): LayerConverter {
  return (layer, [input], ctx) => {
    channelsLast(layer);
    const inShape = ctx.shapeOf(input as string);
    const weights = ctx.weightsOf(layer.name);
    const kernel = requireWeight(weights, depthwise ? 'depthwise_kernel' : 'kernel', layer.name);
    const onnxKernel = depthwise ? depthwiseKernelToOihw(kernel) : convKernelToOihw(kernel);
    const geometry = windowGeometry(layer, inShape, 'kernel_size', [kernel.shape[0] as number, kernel.shape[1] as number]);
    const inputs = [input as string, ctx.builder.addFloatInitializer(`${layer.name}/W`, onnxKernel.shape, onnxKernel.data)];
    const bias = weights.get('bias');
    if (layer.config.use_bias !== false && bias) inputs.push(ctx.builder.addFloatInitializer(`${layer.name}/B`, bias.shape, bias.data));
    const activation = String(layer.config.activation ?? 'linear');
    const convOut = activation === 'linear' ? layer.name : `${layer.name}/conv`;
    ctx.builder.addNode('Conv', `${layer.name}/Conv`, inputs, [convOut], {
      kernel_shape: geometry.kernel,
      strides: geometry.strides,
      dilations: geometry.dilations,
      pads: geometry.pads,
      group: depthwise ? inShape.c : 1,
    });
    if (activation !== 'linear') emitActivation(activation, convOut, layer.name, ctx);
    return { c: onnxKernel.shape[0] as number, h: geometry.h, w: geometry.w };
  };
}

const batchNormalization: LayerConverter = (layer, [input], ctx) => {
  const axis = layer.config.axis;
  if (axis !== 3 && axis !== -1 && !(Array.isArray(axis) && (axis[0] === 3 || axis[0] === -1))) {
    throw new Error(`Layer ${layer.name}: BatchNormalization over axis ${JSON.stringify(axis)} is not supported`);
  }
  const shape = ctx.shapeOf(input as string);
  const weights = ctx.weightsOf(layer.name);
  const ones = new Float32Array(shape.c).fill(1);
  const gamma = weights.get('gamma')?.data ?? ones;
  const beta = weights.get('beta')?.data ?? new Float32Array(shape.c);
  const mean = requireWeight(weights, 'moving_mean', layer.name).data;
  const variance = requireWeight(weights, 'moving_variance', layer.name).data;
  const b = ctx.builder;
  b.addNode(
    'BatchNormalization',
    `${layer.name}/BatchNormalization`,
    [
      input as string,
      b.addFloatInitializer(`${layer.name}/scale`, [shape.c], gamma),
      b.addFloatInitializer(`${layer.name}/bias`, [shape.c], beta),
      b.addFloatInitializer(`${layer.name}/mean`, [shape.c], mean),
      b.addFloatInitializer(`${layer.name}/var`, [shape.c], variance),
    ],
    [layer.name],
    { epsilon: { float: Number(layer.config.epsilon ?? 0.001) } },
  );
  return shape;
};

const relu: LayerConverter = (layer, [input], ctx) => {
  const { max_value: maxValue, negative_slope: slope, threshold } = layer.config;
  if ((slope ?? 0) !== 0 || (threshold ?? 0) !== 0) throw new Error(`Layer ${layer.name}: leaky or thresholded ReLU is not supported`);
  if (maxValue === null || maxValue === undefined) ctx.builder.addNode('Relu', layer.name, [input as string], [layer.name]);
  else emitClip(input as string, layer.name, 0, Number(maxValue), ctx);
  return ctx.shapeOf(input as string);
};

const activation: LayerConverter = (layer, [input], ctx) => {
  emitActivation(String(layer.config.activation), input as string, layer.name, ctx);
  return ctx.shapeOf(input as string);
};

const zeroPadding: LayerConverter = (layer, [input], ctx) => {
  channelsLast(layer);
  const padding = layer.config.padding;
  let top: number, bottom: number, left: number, right: number;
  if (Array.isArray(padding) && Array.isArray(padding[0])) {
    [[top, bottom], [left, right]] = padding as [[number, number], [number, number]];
  } else {
    [top, left] = pair(padding, 'padding', layer.name);
    [bottom, right] = [top, left];
  }
  const pads = ctx.builder.addInt64Initializer(`${layer.name}/pads`, [0, 0, top, left, 0, 0, bottom, right]);
  ctx.builder.addNode('Pad', layer.name, [input as string, pads], [layer.name], { mode: 'constant' });
  const shape = ctx.shapeOf(input as string);
  return { c: shape.c, h: shape.h + top + bottom, w: shape.w + left + right };
};

function pooling(op: 'MaxPool' | 'AveragePool'): LayerConverter {
  return (layer, [input], ctx) => {
    channelsLast(layer);
    const shape = ctx.shapeOf(input as string);
    const geometry = windowGeometry(layer, shape, 'pool_size');
    // count_include_pad = 0 matches TensorFlow's 'same' average pooling (padding not counted).
    const extra: Record<string, AttributeValue> = op === 'AveragePool' ? { count_include_pad: 0 } : {};
    ctx.builder.addNode(op, layer.name, [input as string], [layer.name], {
      kernel_shape: geometry.kernel,
      strides: geometry.strides,
      pads: geometry.pads,
      ...extra,
    });
    return { c: shape.c, h: geometry.h, w: geometry.w };
  };
}

function sameSpatial(layer: KerasLayerJson, shapes: ChwShape[]): ChwShape {
  const first = shapes[0] as ChwShape;
  for (const s of shapes) {
    if (s.h !== first.h || s.w !== first.w) throw new Error(`Layer ${layer.name}: inputs have different spatial sizes`);
  }
  return first;
}

const add: LayerConverter = (layer, inputs, ctx) => {
  const shapes = inputs.map((i) => ctx.shapeOf(i));
  const first = sameSpatial(layer, shapes);
  if (shapes.some((s) => s.c !== first.c)) throw new Error(`Layer ${layer.name}: Add inputs have different channel counts`);
  ctx.builder.addNode('Sum', layer.name, inputs, [layer.name]);
  return first;
};

const concatenate: LayerConverter = (layer, inputs, ctx) => {
  const axis = layer.config.axis;
  if (axis !== 3 && axis !== -1) throw new Error(`Layer ${layer.name}: concatenation over axis ${String(axis)} is not supported`);
  const shapes = inputs.map((i) => ctx.shapeOf(i));
  const first = sameSpatial(layer, shapes);
  ctx.builder.addNode('Concat', layer.name, inputs, [layer.name], { axis: 1 });
  return { c: shapes.reduce((sum, s) => sum + s.c, 0), h: first.h, w: first.w };
};

export const LAYER_CONVERTERS: Record<string, LayerConverter> = {
  Conv2D: convolution(false),
  DepthwiseConv2D: convolution(true),
  BatchNormalization: batchNormalization,
  ReLU: relu,
  Activation: activation,
  ZeroPadding2D: zeroPadding,
  MaxPooling2D: pooling('MaxPool'),
  AveragePooling2D: pooling('AveragePool'),
  Add: add,
  Concatenate: concatenate,
};
