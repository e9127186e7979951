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
 * Where each memory entry was seen, [classCount, size, 2] (grid column, row), and per product what
 * one grid cell of displacement costs [classCount], in the distances' units (normalMemory.ts). A
 * token is compared with entries by appearance plus this squared displacement, so a pattern that
 * is normal elsewhere on the part (a tile's edge in its middle) no longer passes as normal here.
 * Models saved before positions existed have neither and compare by appearance alone.
 */
export const CELLS_PARAMETER = 'rm/memory_cells';
/** The learnable log-factor on the initial temperature; created at first use. */
export const LOG_TEMPERATURE_PARAMETER = 'rm/memory_log_temperature';
export const CELL_COST_PARAMETER = 'rm/memory_cell_cost';

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
export function memoryReconstruct(
  store: ParameterStore,
  x: tf.Tensor,
  classIndex: tf.Tensor1D,
  initialTemperature: number,
  excluded?: tf.Tensor,
): tf.Tensor {
  return memoryMatch(store, x, classIndex, initialTemperature, excluded).reconstruction;
}

/**
 * S_rec per token [b, T]: the mean squared difference from the reconstruction in the memory
 * distances' scale, plus the displacement cost of the entries it was mixed from, so that the error
 * is the distance the match was chosen by.
 */
export function memoryReconstructionError(
  store: ParameterStore,
  x: tf.Tensor,
  classIndex: tf.Tensor1D,
  initialTemperature: number,
  excluded?: tf.Tensor,
): tf.Tensor {
  const { reconstruction, weights, displacement } = memoryMatch(store, x, classIndex, initialTemperature, excluded);
  const difference = reconstruction.sub(x);
  const scaled = store.has(CHANNEL_SCALE_PARAMETER) ? difference.mul(store.get(CHANNEL_SCALE_PARAMETER)) : difference;
  const error = scaled.square().mean(-1);
  return displacement ? error.add(weights.mul(displacement).sum(-1)) : error;
}

function memoryMatch(
  store: ParameterStore,
  x: tf.Tensor,
  classIndex: tf.Tensor1D,
  initialTemperature: number,
  excluded?: tf.Tensor,
): { reconstruction: tf.Tensor; weights: tf.Tensor; displacement?: tf.Tensor } {
  if (!store.has(MEMORY_PARAMETER))
    throw new Error('The memory reconstruction module has no memory: build it from the training tokens first (normalMemory.ts)');
  const memory = store.get(MEMORY_PARAMETER);
  const [, size, dim] = memory.shape as [number, number, number];
  const b = x.shape[0] as number;
  const own = selectRows(memory, classIndex) as tf.Tensor3D; // [b, size, dim]
  const logTemperature = store.use(LOG_TEMPERATURE_PARAMETER, [1], 'zeros');
  const scale = store.has(CHANNEL_SCALE_PARAMETER) ? store.get(CHANNEL_SCALE_PARAMETER) : undefined;
  const [xs, owns] = scale ? [x.mul(scale), own.mul(scale)] : [x, own];
  const xx = xs.square().sum(-1, true);
  const mm = owns.square().sum(-1).reshape([b, 1, size]);
  const appearance = xx
    .add(mm)
    .sub(fastMatMul(xs, owns.transpose([0, 2, 1])).mul(2))
    .mul(1 / dim);
  const displacement = displacementCost(store, classIndex, x.shape[1] as number);
  const distances = displacement ? appearance.add(displacement) : appearance;
  const logits = distances.neg().div(logTemperature.exp().mul(initialTemperature));
  const weights = tf.softmax(excluded ? logits.add(excluded) : logits);
  return { reconstruction: fastMatMul(weights, own), weights, ...(displacement ? { displacement } : {}) };
}

/** [b, T, size]: each entry's squared grid distance from each token's cell, times its product's cell cost. */
function displacementCost(store: ParameterStore, classIndex: tf.Tensor1D, tokens: number): tf.Tensor | undefined {
  if (!store.has(CELLS_PARAMETER)) return undefined;
  const cells = selectRows(store.get(CELLS_PARAMETER), classIndex); // [b, size, 2]
  const [b, size] = cells.shape as [number, number, number];
  const grid = Math.round(Math.sqrt(tokens));
  const column = tf.tensor3d(
    Float32Array.from({ length: tokens }, (_, t) => t % grid),
    [1, tokens, 1],
  );
  const row = tf.tensor3d(
    Float32Array.from({ length: tokens }, (_, t) => Math.floor(t / grid)),
    [1, tokens, 1],
  );
  const dx = column.sub(cells.slice([0, 0, 0], [b, size, 1]).reshape([b, 1, size]));
  const dy = row.sub(cells.slice([0, 0, 1], [b, size, 1]).reshape([b, 1, size]));
  const cost = selectRows(store.get(CELL_COST_PARAMETER).reshape([-1, 1]), classIndex).reshape([b, 1, 1]);
  return dx.square().add(dy.square()).mul(cost);
}
