import { tf } from '../tfjsRuntime';
import { kernelMode } from './kernelMode';
import { runHeapKernel, type HeapKernel } from './wasmHeapKernel';

/**
 * rows[i] = x[index[i]] for a 2-D x. tfjs-wasm's GatherV2 spent 25 ms on [1568,720] (one index
 * computation per element); copying whole rows from a view of the heap takes well under 1 ms.
 * No gradient: it moves training data (pseudo-anomaly swaps), never parameters.
 */
const gatherKernel: HeapKernel = (x, heap, attrs) => {
  const index = (attrs as unknown as { index: Int32Array }).index;
  const width = x.shape[1] as number;
  const out = heap.makeOutput([index.length, width], x.dtype);
  const [src, dst] = [heap.typedArrayFromHeap(x), heap.typedArrayFromHeap(out)];
  index.forEach((row, i) => dst.set(src.subarray(row * width, (row + 1) * width), i * width));
  return out;
};

export function gatherRows(x: tf.Tensor2D, index: Int32Array): tf.Tensor2D {
  const rows = x.shape[0];
  if (index.some((r) => r < 0 || r >= rows)) throw new Error(`gatherRows: an index is outside 0..${rows - 1}`);
  if (kernelMode() === 'reference' || tf.getBackend() !== 'wasm') return tf.tidy(() => x.gather(tf.tensor1d(index, 'int32')));
  return runHeapKernel('QaGatherRows', gatherKernel, x, { index } as unknown as tf.NamedAttrMap) as tf.Tensor2D;
}
