import { describe, expect, it } from 'vitest';
import { readOnnxProviderAvailability } from '../../../src/main/engineAdapters/onnxProviderAvailability';

const CPU = { name: 'cpu', bundled: true };

describe('what the onnxruntime-node binary offers', () => {
  it('calls the CUDA provider missing where the binary lists it but its libraries are not in place', () => {
    // No binary folder exists for riscv64, so no library is in place there.
    const availability = readOnnxProviderAvailability([CPU, { name: 'cuda', bundled: false }], 'linux', 'riscv64');
    expect(availability).toMatchObject({ cuda: 'missing', installed: [], cudaDownloadable: false, platform: 'linux', arch: 'riscv64' });
  });

  it('calls it installed where the binary bundles it, and not in the build where it is not listed', () => {
    expect(readOnnxProviderAvailability([CPU, { name: 'cuda', bundled: true }], 'linux', 'x64').cuda).toBe('installed');
    expect(readOnnxProviderAvailability([CPU, { name: 'coreml', bundled: true }], 'darwin', 'arm64').cuda).toBe('not-in-build');
  });

  it("knows from onnxruntime-node's installer where the CUDA provider can be downloaded: Linux x64 only in 1.30", () => {
    expect(readOnnxProviderAvailability([CPU], 'linux', 'x64').cudaDownloadable).toBe(true);
    expect(readOnnxProviderAvailability([CPU], 'win32', 'x64').cudaDownloadable).toBe(false);
    expect(readOnnxProviderAvailability([CPU], 'darwin', 'arm64').cudaDownloadable).toBe(false);
  });

  it("reads the installed binary's own list by default", () => {
    const availability = readOnnxProviderAvailability();
    expect(availability.listed).toContainEqual(CPU);
    expect(availability.version).toMatch(/^\d+\.\d+\.\d+/);
  });
});
