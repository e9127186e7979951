import { describe, expect, it } from 'vitest';
import { formatStationStatus, type OnnxStatus, type StationStatus } from '../../../../src/cli/commands/statusCommand';
import { readOnnxProviderAvailability } from '../../../../src/main/engineAdapters/onnxProviderAvailability';
import { cli } from '../../../helpers/cliRunner';
import { useTempDirs } from '../../../helpers/tempDir';

const tempDir = useTempDirs();

const LINUX_LISTED = [
  { name: 'cpu', bundled: true, installed: true },
  { name: 'webgpu', bundled: true, installed: true },
  { name: 'cuda', bundled: false, installed: false },
];

/** A station's status with the given onnxruntime part. */
function status(onnx: OnnxStatus, onnxruntime: string): StationStatus {
  return {
    home: '/station',
    catalogue: { file: '/station/catalog.sqlite', created: false, schemaVersion: 8, products: 2, sampleImages: 40, activeModel: 'm-1' },
    runtimes: { tfjs: 'tfjs 4.22.0 wasm (simd, 1 thread)', onnxruntime, onnx, cores: 8 },
    backbones: [{ id: 'mobilenetv2', label: 'MobileNetV2' }],
  };
}

describe('qa-station status: onnxruntime providers', () => {
  it('shows the provider in use and, where the CUDA provider is missing, the command that installs it', () => {
    const text = formatStationStatus(
      status(
        {
          provider: 'cpu',
          fallbacks: ['cuda not installed'],
          platform: 'linux/x64',
          listed: LINUX_LISTED,
          cuda: 'missing',
          cudaInstallCommand: 'npm run install:cuda',
        },
        'onnxruntime-node 1.30.0 cpu (cuda not installed)',
      ),
    );
    expect(text).toContain('runtimes: tfjs 4.22.0 wasm (simd, 1 thread); onnxruntime-node 1.30.0 cpu (cuda not installed); 8 cores');
    expect(text).toContain('onnxruntime providers: cpu, webgpu, cuda (not installed); in use: cpu');
    expect(text).toMatch(/CUDA provider missing: on a station with network .*`npm run install:cuda` installs it; restart the station/);
  });

  it('says where onnxruntime-node has no download of a missing CUDA provider', () => {
    const text = formatStationStatus(
      status(
        {
          provider: 'dml',
          fallbacks: ['cuda not installed'],
          platform: 'win32/x64',
          listed: [...LINUX_LISTED, { name: 'dml', bundled: true, installed: true }],
          cuda: 'missing',
          cudaInstallCommand: null,
        },
        'onnxruntime-node 1.30.0 dml (cuda not installed)',
      ),
    );
    expect(text).toContain('in use: dml');
    expect(text).toContain('CUDA provider missing: onnxruntime-node has no download of it for win32/x64');
    expect(text).not.toContain('install:cuda');
  });

  it('has no hint once CUDA is installed, and none where the binary has no CUDA provider', () => {
    const installed = LINUX_LISTED.map((p) => ({ ...p, installed: true }));
    const cuda = formatStationStatus(
      status(
        { provider: 'cuda', fallbacks: [], platform: 'linux/x64', listed: installed, cuda: 'installed', cudaInstallCommand: null },
        'onnxruntime-node 1.30.0 cuda',
      ),
    );
    expect(cuda).toContain('onnxruntime providers: cpu, webgpu, cuda; in use: cuda');
    expect(cuda).not.toContain('CUDA provider missing');
    const arm = formatStationStatus(
      status(
        {
          provider: 'cpu',
          fallbacks: [],
          platform: 'linux/arm64',
          listed: [LINUX_LISTED[0]!],
          cuda: 'not-in-build',
          cudaInstallCommand: null,
        },
        'onnxruntime-node 1.30.0 cpu',
      ),
    );
    expect(arm).not.toContain('CUDA provider missing');
  });

  it('reports this station as its providers are, in text and in JSON alike', async () => {
    const home = tempDir();
    const json = await cli('status', '--home', home, '--json');
    expect(json.code, json.stderr).toBe(0);
    const { onnx, onnxruntime } = JSON.parse(json.stdout).runtimes as StationStatus['runtimes'];
    const text = await cli('status', '--home', home);
    expect(text.stdout).toContain(`; ${onnxruntime}; `);
    expect(text.stdout).toContain(`in use: ${onnx.provider}`);
    expect(onnxruntime).toContain(` ${onnx.provider}`);
    const availability = readOnnxProviderAvailability();
    expect(onnx.cuda).toBe(availability.cuda);
    const hint = availability.cuda === 'missing' && availability.cudaDownloadable;
    expect(onnx.cudaInstallCommand).toBe(hint ? 'npm run install:cuda' : null);
    expect(text.stdout.includes('`npm run install:cuda` installs it')).toBe(hint);
  });
});
