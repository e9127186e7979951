import { tf } from '../tfjsRuntime';
import { runHeapKernel, type HeapKernel } from './wasmHeapKernel';

/**
 * Splits [n, ...item] into n tensors of shape item. tfjs-wasm's own Slice, Split and Unpack read
 * the whole source tensor out of the wasm heap once per piece (its readSync copies), so splitting
 * a [32,196,196] batch cost 32 copies of 4.9 MB (about 50 ms); this kernel copies each piece once,
 * straight from a view of the heap (0.2 ms).
 */
const unstackKernel: HeapKernel = (x, heap) => {
  const itemShape = x.shape.slice(1);
  const size = itemShape.reduce((a, b) => a * b, 1);
  return Array.from({ length: x.shape[0] as number }, (_, i) => {
    const out = heap.makeOutput(itemShape, x.dtype);
    // Views are taken after makeOutput: an allocation can grow (and so replace) the heap.
    heap.typedArrayFromHeap(out).set(heap.typedArrayFromHeap(x).subarray(i * size, (i + 1) * size));
    return out;
  });
};

/** The items of a batch as separate tensors; no gradient (use it inside custom-gradient ops). */
export function unstackBatch(x: tf.Tensor): tf.Tensor[] {
  if (tf.getBackend() !== 'wasm') return tf.unstack(x);
  return runHeapKernel('QaBatchUnstack', unstackKernel, x) as tf.Tensor[];
}
