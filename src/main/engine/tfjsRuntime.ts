import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';

/**
 * TensorFlow.js backend choice (DESIGN.md section 2): the native 'tensorflow' backend when
 * @tensorflow/tfjs-node-gpu or @tensorflow/tfjs-node is installed (optional dependencies), else
 * 'wasm'. QA_STATION_TFJS_BACKEND=wasm|cpu|tensorflow forces one.
 */
export type TfjsBackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface TfjsRuntimeInfo {
  backend: TfjsBackendName;
  /** Human-readable, shown in the UI and benchmark records, e.g. "tfjs 4.22.0 wasm (simd)". */
  detail: string;
}

const localRequire = createRequire(__filename);
let ready: Promise<TfjsRuntimeInfo> | undefined;

function tryLoadNativeBackend(): string | undefined {
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      localRequire(pkg);
      return pkg;
    } catch {
      // Not installed (it needs a download this workplace cannot make): fall through to wasm.
    }
  }
  return undefined;
}

async function initialise(forced: string | undefined): Promise<TfjsRuntimeInfo> {
  if (forced !== undefined && !['wasm', 'cpu', 'tensorflow'].includes(forced)) {
    throw new Error(`QA_STATION_TFJS_BACKEND must be wasm, cpu or tensorflow, not "${forced}"`);
  }
  const wantsNative = forced === undefined || forced === 'tensorflow';
  const nativePackage = wantsNative ? tryLoadNativeBackend() : undefined;
  if (forced === 'tensorflow' && !nativePackage) {
    throw new Error('QA_STATION_TFJS_BACKEND=tensorflow but neither @tensorflow/tfjs-node-gpu nor @tensorflow/tfjs-node is installed');
  }
  const backend: TfjsBackendName = nativePackage ? 'tensorflow' : forced === 'cpu' ? 'cpu' : 'wasm';
  if (!(await tf.setBackend(backend))) throw new Error(`TensorFlow.js backend "${backend}" failed to start`);
  await tf.ready();
  const simd = backend === 'wasm' ? ((await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) as boolean) : false;
  const detail =
    backend === 'tensorflow'
      ? `tfjs ${tf.version.tfjs} tensorflow (${nativePackage})`
      : backend === 'wasm'
        ? `tfjs ${tf.version.tfjs} wasm (${simd ? 'simd' : 'no simd'})`
        : `tfjs ${tf.version.tfjs} cpu`;
  return { backend, detail };
}

/** Starts TensorFlow.js once per process and says which backend it runs on. */
export function initTfjs(): Promise<TfjsRuntimeInfo> {
  ready ??= initialise(process.env.QA_STATION_TFJS_BACKEND || undefined);
  return ready;
}

export { tf };
