import { tf } from '../tfjsRuntime';

/** What a heap-view kernel needs of tfjs-wasm's backend: outputs in its heap, and views of them. */
export interface WasmHeap {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

export type HeapKernel = (x: tf.TensorInfo, heap: WasmHeap, attrs: tf.NamedAttrMap) => tf.TensorInfo | tf.TensorInfo[];

const registered = new Set<string>();

/**
 * Runs a kernel that copies between views of the wasm heap (the project's own kernels for data
 * movement that tfjs-wasm does slowly), registering it on first use.
 */
export function runHeapKernel(name: string, kernel: HeapKernel, x: tf.Tensor, attrs: tf.NamedAttrMap = {}): tf.Tensor | tf.Tensor[] {
  if (!registered.has(name)) {
    registered.add(name);
    tf.registerKernel({
      kernelName: name,
      backendName: 'wasm',
      kernelFunc: ({ inputs, backend, attrs: given }) =>
        kernel((inputs as { x: tf.TensorInfo }).x, backend as unknown as WasmHeap, given ?? {}),
    });
  }
  return tf.engine().runKernel(name, { x }, attrs) as unknown as tf.Tensor | tf.Tensor[];
}
