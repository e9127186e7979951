import { tf } from '../tfjsRuntime';

/**
 * Splits [n, ...item] into n tensors of shape item. tfjs-wasm's own Slice, Split and Unpack read
 * the whole source tensor out of the wasm heap once per piece (its readSync copies), so splitting
 * a [32,196,196] batch costs 32 copies of 4.9 MB; this kernel copies each piece once, straight
 * from a view of the heap (measured in bench:train's kernel table).
 */
const KERNEL = 'QaBatchUnstack';

interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

let registered = false;

function registerWasmKernel(): void {
  if (registered) return;
  registered = true;
  tf.registerKernel({
    kernelName: KERNEL,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const x = (inputs as { x: tf.TensorInfo }).x;
      const wasm = backend as unknown as WasmBackendLike;
      const itemShape = x.shape.slice(1);
      const count = x.shape[0] as number;
      const size = itemShape.reduce((a, b) => a * b, 1);
      return Array.from({ length: count }, (_, i) => {
        const out = wasm.makeOutput(itemShape, x.dtype);
        // Views are taken after makeOutput: an allocation can grow (and so replace) the heap.
        wasm.typedArrayFromHeap(out).set(wasm.typedArrayFromHeap(x).subarray(i * size, (i + 1) * size));
        return out;
      });
    },
  });
}

/** The items of a batch as separate tensors; no gradient (use it inside custom-gradient ops). */
export function unstackBatch(x: tf.Tensor): tf.Tensor[] {
  if (tf.getBackend() !== 'wasm') return tf.unstack(x);
  registerWasmKernel();
  return tf.engine().runKernel(KERNEL, { x }, {}) as unknown as tf.Tensor[];
}
