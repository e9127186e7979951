import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import type { KerasModelTopology } from '../../../../../src/main/engine/backbone/kerasTopology';
import {
  convKernelToOihw,
  depthwiseKernelToOihw,
  spatialPadding,
  type LayerWeight,
} from '../../../../../src/main/engine/backbone/onnx/kerasLayerConverters';
import { convertKerasTapsToOnnx, ONNX_INPUT_NAME, onnxOutputName } from '../../../../../src/main/engine/backbone/onnx/kerasToOnnx';
import { decodeOnnxModel } from '../../../../../src/main/engine/onnx/onnxProtoSchema';
import { initTfjs, tf } from '../../../../../src/main/engine/tfjsRuntime';

describe('converter helpers', () => {
  it('pads like TensorFlow: same padding puts the extra pixel after', () => {
    expect(spatialPadding(224, 3, 2, 1, 'same')).toEqual([0, 1, 112]);
    expect(spatialPadding(35, 3, 1, 1, 'same')).toEqual([1, 1, 35]);
    expect(spatialPadding(299, 3, 2, 1, 'valid')).toEqual([0, 0, 149]);
    expect(spatialPadding(10, 5, 1, 2, 'same')).toEqual([4, 4, 10]);
    expect(() => spatialPadding(10, 3, 1, 1, 'causal')).toThrow(/not supported/);
  });

  it('reorders kernels from Keras HWIO to ONNX OIHW', () => {
    // kh=1, kw=2, cin=2, cout=3: value encodes (j, ci, co) as j*100 + ci*10 + co
    const data = new Float32Array(12);
    for (let j = 0; j < 2; j++)
      for (let ci = 0; ci < 2; ci++) for (let co = 0; co < 3; co++) data[(j * 2 + ci) * 3 + co] = j * 100 + ci * 10 + co;
    const out = convKernelToOihw({ shape: [1, 2, 2, 3], data });
    expect(out.shape).toEqual([3, 2, 1, 2]);
    // out[co][ci][0][j]
    expect(out.data[((2 * 2 + 1) * 1 + 0) * 2 + 1]).toBe(100 + 10 + 2);
    const depthwise = depthwiseKernelToOihw({ shape: [1, 2, 2, 2], data: new Float32Array([0, 1, 10, 11, 100, 101, 110, 111]) });
    expect(depthwise.shape).toEqual([4, 1, 1, 2]);
    // channel c, multiplier m -> output c*2+m, over kw = 0..1
    expect([...depthwise.data]).toEqual([0, 100, 1, 101, 10, 110, 11, 111]);
  });
});

/** A small functional model with every layer type the converter supports, random weights. */
function tinyModel(): tf.LayersModel {
  const input = tf.input({ shape: [33, 33, 3] });
  const padded = tf.layers
    .zeroPadding2d({
      padding: [
        [0, 1],
        [0, 1],
      ],
      name: 'pad',
    })
    .apply(input) as tf.SymbolicTensor;
  const conv = tf.layers
    .conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'valid', useBias: false, name: 'conv' })
    .apply(padded) as tf.SymbolicTensor;
  const bn = tf.layers.batchNormalization({ name: 'bn', epsilon: 0.001 }).apply(conv) as tf.SymbolicTensor;
  const relu6 = tf.layers.reLU({ maxValue: 6, name: 'relu6' }).apply(bn) as tf.SymbolicTensor;
  const dw = tf.layers
    .depthwiseConv2d({ kernelSize: 3, strides: 2, padding: 'same', depthMultiplier: 2, name: 'dw' })
    .apply(relu6) as tf.SymbolicTensor;
  const act = tf.layers.activation({ activation: 'relu', name: 'act' }).apply(dw) as tf.SymbolicTensor;
  const branchA = tf.layers
    .conv2d({ filters: 4, kernelSize: 1, padding: 'same', activation: 'relu', name: 'branch_a' })
    .apply(act) as tf.SymbolicTensor;
  const branchB = tf.layers
    .averagePooling2d({ poolSize: 3, strides: 1, padding: 'same', name: 'branch_b_pool' })
    .apply(act) as tf.SymbolicTensor;
  const branchB2 = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', name: 'branch_b' }).apply(branchB) as tf.SymbolicTensor;
  const concat = tf.layers.concatenate({ axis: -1, name: 'mixed' }).apply([branchA, branchB2]) as tf.SymbolicTensor;
  const sum = tf.layers.add({ name: 'sum' }).apply([branchA, branchB2]) as tf.SymbolicTensor;
  const pool = tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same', name: 'pool' }).apply(sum) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: [concat, pool] });
}

function weightsOf(model: tf.LayersModel, layer: string): Map<string, LayerWeight> {
  return new Map(
    model
      .getLayer(layer)
      .weights.map((w) => [
        w.originalName.split('/').pop() as string,
        { shape: w.shape as number[], data: w.read().dataSync() as Float32Array },
      ]),
  );
}

describe('Keras to ONNX conversion', () => {
  it('computes the same taps as TensorFlow.js on a model with every supported layer', async () => {
    await initTfjs();
    const model = tinyModel();
    // Make batch-norm statistics non-trivial so that a wrong mapping would show.
    const bn = model.getLayer('bn');
    bn.setWeights(bn.getWeights().map((w, i) => tf.randomUniform(w.shape, i === 3 ? 0.5 : -0.5, i === 3 ? 2 : 0.5, 'float32', i)));
    const topology = { model_config: model.toJSON(null, false) } as unknown as KerasModelTopology;
    const taps = ['mixed', 'pool'];
    const bytes = convertKerasTapsToOnnx({
      topology,
      inputSize: 33,
      taps,
      weightsOf: (name) => weightsOf(model, name),
      description: 'test',
    });
    const decoded = decodeOnnxModel(bytes) as { graph: { node: { op_type: string }[] } };
    expect(new Set(decoded.graph.node.map((n) => n.op_type))).toEqual(
      new Set(['Transpose', 'Pad', 'Conv', 'BatchNormalization', 'Clip', 'Relu', 'AveragePool', 'Concat', 'Sum', 'MaxPool']),
    );

    const session = await ort.InferenceSession.create(Buffer.from(bytes));
    const input = tf.randomUniform([2, 33, 33, 3], 0, 1, 'float32', 42);
    const expected = model.predict(input) as tf.Tensor[];
    const result = await session.run({ [ONNX_INPUT_NAME]: new ort.Tensor('float32', input.dataSync() as Float32Array, [2, 33, 33, 3]) });
    taps.forEach((tap, i) => {
      const want = expected[i] as tf.Tensor;
      const got = result[onnxOutputName(tap)] as ort.Tensor;
      expect(got.dims).toEqual(want.shape);
      const a = got.data as Float32Array;
      const b = want.dataSync();
      let maxDiff = 0;
      for (let k = 0; k < a.length; k++) maxDiff = Math.max(maxDiff, Math.abs((a[k] as number) - (b[k] as number)));
      expect(maxDiff).toBeLessThan(1e-4);
    });
    tf.dispose([input, ...expected]);
    await session.release();
  });

  it('names the layer it cannot convert', () => {
    const topology: KerasModelTopology = {
      model_config: {
        class_name: 'Model',
        config: {
          layers: [
            { name: 'in', class_name: 'InputLayer', config: {}, inbound_nodes: [] },
            { name: 'lstm_1', class_name: 'LSTM', config: {}, inbound_nodes: [[['in', 0, 0, {}]]] },
          ],
        },
      },
    };
    expect(() => convertKerasTapsToOnnx({ topology, inputSize: 8, taps: ['lstm_1'], weightsOf: () => new Map(), description: '' })).toThrow(
      /lstm_1: LSTM is not supported/,
    );
  });
});
