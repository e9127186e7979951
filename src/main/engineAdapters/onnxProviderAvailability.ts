import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import type { ListedProvider } from '../engine/executionProviders/providerPreference';

/**
 * The libraries a provider that onnxruntime-node does not bundle needs in its binary's folder, as
 * its installer (script/install-metadata.js) puts them there.
 */
const PROVIDER_LIBRARIES: Record<string, Record<string, readonly string[]>> = {
  cuda: {
    linux: ['libonnxruntime_providers_cuda.so', 'libonnxruntime_providers_shared.so'],
    win32: ['onnxruntime_providers_cuda.dll', 'onnxruntime_providers_shared.dll'],
  },
  // Downloaded with the CUDA provider; never tried automatically (it also needs NVIDIA's TensorRT), only listed.
  tensorrt: {
    linux: ['libonnxruntime_providers_tensorrt.so', 'libonnxruntime_providers_shared.so'],
    win32: ['onnxruntime_providers_tensorrt.dll', 'onnxruntime_providers_shared.dll'],
  },
};

/** The command that downloads the CUDA provider where onnxruntime-node's installer has it (README, GPU stations). */
export const CUDA_INSTALL_COMMAND = 'npm run install:cuda';

export interface OnnxProviderAvailability {
  /** e.g. "1.30.0" */
  version: string;
  platform: string;
  arch: string;
  listed: ListedProvider[];
  /** Listed providers that are not bundled but whose libraries are in place. */
  installed: string[];
  /** The CUDA provider: in place, missing (the binary could use it but its libraries are not here), or not in this build. */
  cuda: 'installed' | 'missing' | 'not-in-build';
  /** Whether onnxruntime-node's installer can download the CUDA provider for this platform (CUDA_INSTALL_COMMAND). */
  cudaDownloadable: boolean;
}

const localRequire = createRequire(__filename);

function packageDir(): string {
  return path.dirname(localRequire.resolve('onnxruntime-node/package.json'));
}

/** Where onnxruntime-node loads its binding and provider libraries from (dist/binding.js). */
function binaryDir(platform: string, arch: string): string {
  return path.join(packageDir(), 'bin', 'napi-v6', platform, arch);
}

function libraryInPlace(provider: string, platform: string, arch: string): boolean {
  const libraries = PROVIDER_LIBRARIES[provider]?.[platform];
  return !!libraries && libraries.every((file) => existsSync(path.join(binaryDir(platform, arch), file)));
}

/** The installer's own table says whether it has a CUDA download for this platform; unreadable means no. */
function cudaDownloadable(platform: string, arch: string): boolean {
  try {
    const metadata = localRequire(path.join(packageDir(), 'script', 'install-metadata.js')) as { manifests?: Record<string, unknown> };
    return metadata.manifests?.[`${platform}/${arch}:cuda12`] !== undefined;
  } catch {
    return false;
  }
}

/** What the installed onnxruntime-node binary can run on this machine, from its own list and its folder. */
export function readOnnxProviderAvailability(
  listed: readonly ListedProvider[] = ort.listSupportedBackends(),
  platform: string = process.platform,
  arch: string = process.arch,
): OnnxProviderAvailability {
  const installed = listed.filter((p) => !p.bundled && libraryInPlace(p.name, platform, arch)).map((p) => p.name);
  const cudaListing = listed.find((p) => p.name === 'cuda');
  return {
    version: ort.env.versions.common,
    platform,
    arch,
    listed: listed.map((p) => ({ name: p.name, bundled: p.bundled })),
    installed,
    cuda: !cudaListing ? 'not-in-build' : cudaListing.bundled || installed.includes('cuda') ? 'installed' : 'missing',
    cudaDownloadable: cudaDownloadable(platform, arch),
  };
}
