import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';

/**
 * TensorFlow.js backend choice (docs/ARCHITECTURE.md, Runtimes): the native 'tensorflow' backend
 * when @tensorflow/tfjs-node-gpu or @tensorflow/tfjs-node is installed (optional dependencies),
 * else 'wasm'. QA_STATION_TFJS_BACKEND=wasm|cpu|tensorflow forces one.
 */
export type TfjsBackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface TfjsRuntimeInfo {
  backend: TfjsBackendName;
  /** Human-readable, shown in the UI and benchmark records, e.g. "tfjs 4.22.0 wasm (simd, 1 thread)". */
  detail: string;
  /** Why a preferred backend was passed over (installed but failed to load), if one was. */
  fallback?: string;
}

export type ModuleLoader = (name: string) => unknown;

const NATIVE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;
const localRequire = createRequire(__filename);
let ready: Promise<TfjsRuntimeInfo> | undefined;

function isNotInstalled(error: unknown, pkg: string): boolean {
  const e = error as { code?: string; message?: string };
  return e?.code === 'MODULE_NOT_FOUND' && (e.message ?? '').includes(`'${pkg}'`);
}

/**
 * The first native package that loads, and why the ones before it did not. A package that is not
 * installed is passed over silently (it needs a download that a station without internet cannot make); one that is
 * installed but whose native library fails to load (tfjs-node-gpu 4.22 wants CUDA 11.2 / cuDNN
 * 8.1) is reported, and the next backend is used instead of failing.
 */
function loadNativeBackend(load: ModuleLoader): { pkg?: string; failures: string[] } {
  const failures: string[] = [];
  for (const pkg of NATIVE_PACKAGES) {
    try {
      load(pkg);
      return { pkg, failures };
    } catch (error) {
      if (!isNotInstalled(error, pkg)) failures.push(`${pkg} is installed but failed to load (${firstLine(error)})`);
    }
  }
  return { failures };
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] as string;
}

async function startBackend(name: TfjsBackendName): Promise<boolean> {
  try {
    return await tf.setBackend(name);
  } catch {
    return false;
  }
}

async function describeBackend(backend: TfjsBackendName, nativePackage: string | undefined): Promise<string> {
  if (backend === 'tensorflow') return `tfjs ${tf.version.tfjs} tensorflow (${nativePackage})`;
  if (backend === 'cpu') return `tfjs ${tf.version.tfjs} cpu (1 thread)`;
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) as boolean;
  // Node gives tfjs-wasm no thread pool (WASM_HAS_MULTITHREAD_SUPPORT is false there).
  return `tfjs ${tf.version.tfjs} wasm (${simd ? 'simd' : 'no simd'}, 1 thread)`;
}

/** Starts the preferred backend that works: forced, else native, else wasm. Exported for tests. */
export async function startTfjsRuntime(forced: string | undefined, load: ModuleLoader = localRequire): Promise<TfjsRuntimeInfo> {
  if (forced !== undefined && !['wasm', 'cpu', 'tensorflow'].includes(forced)) {
    throw new Error(`QA_STATION_TFJS_BACKEND must be wasm, cpu or tensorflow, not "${forced}"`);
  }
  const wantsNative = forced === undefined || forced === 'tensorflow';
  const native = wantsNative ? loadNativeBackend(load) : { failures: [] };
  const failures = [...native.failures];
  let backend: TfjsBackendName = forced === 'cpu' ? 'cpu' : 'wasm';
  if (native.pkg) {
    if (await startBackend('tensorflow')) backend = 'tensorflow';
    else failures.push(`${native.pkg} loaded but its 'tensorflow' backend did not start`);
  }
  if (forced === 'tensorflow' && backend !== 'tensorflow') {
    throw new Error(
      `QA_STATION_TFJS_BACKEND=tensorflow but no native TensorFlow backend works: ${failures.join('; ') || 'neither @tensorflow/tfjs-node-gpu nor @tensorflow/tfjs-node is installed'}`,
    );
  }
  if (backend !== 'tensorflow' && !(await startBackend(backend))) throw new Error(`TensorFlow.js backend "${backend}" failed to start`);
  await tf.ready();
  const detail = await describeBackend(backend, native.pkg);
  if (failures.length === 0) return { backend, detail };
  const fallback = `${failures.join('; ')}: using ${backend} instead`;
  return { backend, detail: `${detail}; ${fallback}`, fallback };
}

/** Starts TensorFlow.js once per process and says which backend it runs on. */
export function initTfjs(): Promise<TfjsRuntimeInfo> {
  ready ??= startTfjsRuntime(process.env.QA_STATION_TFJS_BACKEND || undefined).then((info) => {
    if (info.fallback) console.warn(`TensorFlow.js: ${info.fallback}`);
    return info;
  });
  return ready;
}

export { tf };
