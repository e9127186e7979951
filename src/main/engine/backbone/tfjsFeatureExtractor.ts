import { initTfjs, tf } from '../tfjsRuntime';
import type { KerasModelArtifacts } from './kerasModelArtifacts';
import type { BackboneSpec } from './backboneSpecs';
import { checkBatch, type FeatureExtractor, type TapFeatures } from './featureExtractor';

/** Loads the Keras model from the package artifacts into TensorFlow.js (dequantizing the weights). */
export async function loadTfjsLayersModel(artifacts: KerasModelArtifacts): Promise<tf.LayersModel> {
  await initTfjs();
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: artifacts.modelTopology as unknown as tf.io.ModelJSON['modelTopology'],
      weightSpecs: artifacts.weightSpecs as tf.io.WeightsManifestEntry[],
      weightData: artifacts.weightData,
    }),
  );
}

/** The reference path: the same taps computed by TensorFlow.js on its current backend. */
export async function createTfjsFeatureExtractor(
  spec: BackboneSpec,
  fullModel: tf.LayersModel,
  taps: readonly string[],
): Promise<FeatureExtractor> {
  const { detail } = await initTfjs();
  const tapModel = tf.model({
    inputs: fullModel.inputs,
    outputs: taps.map((name) => fullModel.getLayer(name).output as tf.SymbolicTensor),
  });
  return {
    backbone: spec.id,
    runtime: 'tfjs',
    runtimeDetail: detail,
    inputSize: spec.inputSize,
    taps,
    async extract(batch: Float32Array, batchSize: number): Promise<TapFeatures[]> {
      checkBatch(batch, batchSize, spec.inputSize);
      const input = tf.tensor4d(batch, [batchSize, spec.inputSize, spec.inputSize, 3]);
      const outputs = tapModel.predict(input) as tf.Tensor | tf.Tensor[];
      const list = Array.isArray(outputs) ? outputs : [outputs];
      try {
        const data = await Promise.all(list.map((t) => t.data() as Promise<Float32Array>));
        return list.map((t, i) => ({
          name: taps[i] as string,
          shape: t.shape as [number, number, number, number],
          data: data[i] as Float32Array,
        }));
      } finally {
        tf.dispose([input, ...list]);
      }
    },
    async dispose(): Promise<void> {
      fullModel.dispose();
    },
  };
}
