import { ancestorsInOrder, inboundLayerNames, topologyLayers, type KerasModelTopology } from '../kerasTopology';
import { LAYER_CONVERTERS, type ChwShape, type ConversionContext, type LayerWeight } from './kerasLayerConverters';
import { OnnxGraphBuilder } from '../../onnx/onnxGraphBuilder';

/** Bump when the converter's output changes: it is part of every cached graph's key. */
export const CONVERTER_VERSION = 1;
export const ONNX_INPUT_NAME = 'image_nhwc';

export interface TapGraphRequest {
  topology: KerasModelTopology;
  inputSize: number;
  taps: readonly string[];
  weightsOf(layerName: string): Map<string, LayerWeight>;
  /** Recorded in the model's metadata so a cached file says where it came from. */
  description: string;
}

export function onnxOutputName(tap: string): string {
  return `${tap}/nhwc`;
}

/**
 * Converts the part of a Keras functional model needed for `taps` into an ONNX graph with one
 * NHWC input and one NHWC output per tap, so both runtimes take and return the same layout.
 */
export function convertKerasTapsToOnnx(request: TapGraphRequest): Uint8Array {
  const layers = ancestorsInOrder(topologyLayers(request.topology), request.taps);
  const builder = new OnnxGraphBuilder();
  const shapes = new Map<string, ChwShape>();
  const ctx: ConversionContext = {
    builder,
    shapeOf(tensor) {
      const shape = shapes.get(tensor);
      if (!shape) throw new Error(`No shape known for "${tensor}"`);
      return shape;
    },
    weightsOf: request.weightsOf,
  };

  for (const layer of layers) {
    if (layer.class_name === 'InputLayer') {
      builder.addInput(ONNX_INPUT_NAME, ['batch', request.inputSize, request.inputSize, 3]);
      builder.addNode('Transpose', `${layer.name}/to_nchw`, [ONNX_INPUT_NAME], [layer.name], { perm: [0, 3, 1, 2] });
      shapes.set(layer.name, { c: 3, h: request.inputSize, w: request.inputSize });
      continue;
    }
    const convert = LAYER_CONVERTERS[layer.class_name];
    if (!convert) throw new Error(`Layer ${layer.name}: ${layer.class_name} is not supported by the ONNX converter`);
    shapes.set(layer.name, convert(layer, inboundLayerNames(layer), ctx));
  }

  for (const tap of request.taps) {
    const shape = ctx.shapeOf(tap);
    const output = onnxOutputName(tap);
    builder.addNode('Transpose', `${tap}/to_nhwc`, [tap], [output], { perm: [0, 2, 3, 1] });
    builder.addOutput(output, ['batch', shape.h, shape.w, shape.c]);
  }

  return builder.toModel({
    graph: 'backbone_taps',
    description: request.description,
    producer: 'qa-station keras-to-onnx',
    producerVersion: String(CONVERTER_VERSION),
  });
}
