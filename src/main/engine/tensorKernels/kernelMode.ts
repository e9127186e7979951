/**
 * Which implementation the engine's hot tensor ops use. 'fused' (the default) is the fast path:
 * per-item 2-D products with heap-view splits, GELU with an analytic gradient, row gathers from
 * heap views. 'reference' is the plain tfjs composition the product shipped before, kept runnable
 * so that bench:train times both in one run and the tests hold the fast ops to it.
 */
export type KernelMode = 'fused' | 'reference';

let mode: KernelMode = 'fused';

export function setKernelMode(next: KernelMode): void {
  mode = next;
}

export function kernelMode(): KernelMode {
  return mode;
}
