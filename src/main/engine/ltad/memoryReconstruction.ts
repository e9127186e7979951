import { fastMatMul } from '../tensorKernels/fastMatMul';
import { tf } from '../tfjsRuntime';
import { selectRows } from './networkLayers';
import type { ParameterStore } from './parameterStore';

/** The per-product memories [classCount, size, dim] (normalMemory.ts), a parameter of the store. */
export const MEMORY_PARAMETER = 'rm/memory';
/**
 * Per-channel scale [dim] of the memory's distances: the raw features' standard deviation, so that
 * distances are those of the backbone's own features. Standardising every channel to unit spread
 * lets near-constant channels' noise dominate the nearest neighbour (synthetic product_03, 2,048
 * entries: image AUROC 0.86 in raw scale, 0.58 standardised).
 */
export const CHANNEL_SCALE_PARAMETER = 'rm/memory_channel_scale';

/**
 * Reconstruction from a memory of normal tokens (docs/method.md, Reconstruction from a memory of
 * normal tokens): every token is replaced by a softmax-weighted mix of its product's memory
 * entries, weighted by squared distance per channel over a temperature (initialTemperature times
 * a learnable factor). Sharp, this is PatchCore's nearest neighbour: a normal token finds itself, a
 * defect finds only normal tokens and leaves a large error. The memory is frozen unless the config
 * says memoryTrainable. `excluded`
 * ([b, 1, size], 0 or a large negative number) leaves entries out per sample: a training image
 * scored against a memory that holds its own tokens would look more normal than any new part.
 */
export function memoryReconstruct(store: ParameterStore, x: tf.Tensor, classIndex: tf.Tensor1D, initialTemperature: number, excluded?: tf.Tensor): tf.Tensor {
  if (!store.has(MEMORY_PARAMETER)) throw new Error('The memory reconstruction module has no memory: build it from the training tokens first (normalMemory.ts)');
  const memory = store.get(MEMORY_PARAMETER);
  const [, size, dim] = memory.shape as [number, number, number];
  const b = x.shape[0] as number;
  const own = selectRows(memory, classIndex) as tf.Tensor3D; // [b, size, dim]
  const logTemperature = store.use('rm/memory_log_temperature', [1], 'zeros');
  const scale = store.has(CHANNEL_SCALE_PARAMETER) ? store.get(CHANNEL_SCALE_PARAMETER) : undefined;
  const [xs, owns] = scale ? [x.mul(scale), own.mul(scale)] : [x, own];
  const xx = xs.square().sum(-1, true);
  const mm = owns.square().sum(-1).reshape([b, 1, size]);
  const distances = xx.add(mm).sub(fastMatMul(xs, owns.transpose([0, 2, 1])).mul(2)).mul(1 / dim);
  const logits = distances.neg().div(logTemperature.exp().mul(initialTemperature));
  const weights = tf.softmax(excluded ? logits.add(excluded) : logits);
  return fastMatMul(weights, own);
}

/** Mean squared difference per token, [b, T], in the scale the memory's distances use. */
export function memoryReconstructionError(store: ParameterStore, x: tf.Tensor, reconstruction: tf.Tensor): tf.Tensor {
  const difference = reconstruction.sub(x);
  const scaled = store.has(CHANNEL_SCALE_PARAMETER) ? difference.mul(store.get(CHANNEL_SCALE_PARAMETER)) : difference;
  return scaled.square().mean(-1);
}
