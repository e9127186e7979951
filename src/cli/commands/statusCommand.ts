import { existsSync } from 'node:fs';
import os from 'node:os';
import { Command } from 'commander';
import { Catalog } from '../../main/catalog/catalog';
import { schemaVersion } from '../../main/catalog/migrationRunner';
import { BACKBONE_SPECS } from '../../main/engine/backbone/backboneSpecs';
import { initTfjs } from '../../main/engine/tfjsRuntime';
import { onnxExecutionInfo, onnxRuntimeDetail, processOnnxExecution } from '../../main/engineAdapters/onnxExecution';
import { CUDA_INSTALL_COMMAND, readOnnxProviderAvailability } from '../../main/engineAdapters/onnxProviderAvailability';
import { stationPaths } from '../../main/stationPaths';
import { printJson, type CliIo } from './cliIo';

/** onnxruntime on this station: the provider in use, what the binary has, and the CUDA provider's state. */
export interface OnnxStatus {
  /** cpu, cuda, dml, coreml or webgpu. */
  provider: string;
  /** Why better providers are not in use ("cuda not installed", "dml failed: ..."). */
  fallbacks: string[];
  /** "linux/x64" */
  platform: string;
  /** The providers the binary lists; installed is false for those whose separate download is not here. */
  listed: { name: string; bundled: boolean; installed: boolean }[];
  cuda: 'installed' | 'missing' | 'not-in-build';
  /** The command that installs the missing CUDA provider on a station with network; null when not missing or not downloadable. */
  cudaInstallCommand: string | null;
}

export interface StationStatus {
  home: string;
  catalogue: { file: string; created: boolean; schemaVersion: number; products: number; sampleImages: number; activeModel: string | null };
  runtimes: { tfjs: string; onnxruntime: string; onnx: OnnxStatus; cores: number };
  backbones: { id: string; label: string }[];
}

/** Chooses the execution provider as the station does at start (trying it), and says what is missing. */
async function onnxStatus(): Promise<{ detail: string; onnx: OnnxStatus }> {
  const availability = readOnnxProviderAvailability();
  const execution = await processOnnxExecution.get();
  const missing = availability.cuda === 'missing';
  return {
    detail: onnxRuntimeDetail(execution),
    onnx: {
      ...onnxExecutionInfo(execution),
      platform: `${availability.platform}/${availability.arch}`,
      listed: availability.listed.map((p) => ({ ...p, installed: p.bundled || availability.installed.includes(p.name) })),
      cuda: availability.cuda,
      cudaInstallCommand: missing && availability.cudaDownloadable ? CUDA_INSTALL_COMMAND : null,
    },
  };
}

/** Opens (creating and upgrading) the station's catalogue and reports what the station has. */
export async function stationStatus(home?: string): Promise<StationStatus> {
  const paths = stationPaths(home);
  const created = !existsSync(paths.catalogFile);
  const catalog = Catalog.open(paths.catalogFile);
  try {
    const products = catalog.classes.listWithCounts();
    const tfjs = await initTfjs();
    const onnx = await onnxStatus();
    return {
      home: paths.home,
      catalogue: {
        file: paths.catalogFile,
        created,
        schemaVersion: schemaVersion(catalog.db),
        products: products.length,
        sampleImages: products.reduce((sum, p) => sum + p.goodTrainImages, 0),
        activeModel: catalog.models.active()?.version ?? null,
      },
      runtimes: { tfjs: tfjs.detail, onnxruntime: onnx.detail, onnx: onnx.onnx, cores: os.availableParallelism() },
      backbones: Object.values(BACKBONE_SPECS).map((s) => ({ id: s.id, label: s.label })),
    };
  } finally {
    catalog.close();
  }
}

/** The lines about onnxruntime's providers, with what to do when the CUDA provider is missing. */
function onnxLines(onnx: OnnxStatus): string[] {
  const listed = onnx.listed.map((p) => (p.installed ? p.name : `${p.name} (not installed)`)).join(', ');
  const lines = [`  onnxruntime providers: ${listed}; in use: ${onnx.provider}`];
  if (onnx.cuda === 'missing')
    lines.push(
      onnx.cudaInstallCommand
        ? `  CUDA provider missing: on a station with network and an NVIDIA GPU (driver, CUDA 12, cuDNN 9), \`${onnx.cudaInstallCommand}\` installs it; restart the station afterwards`
        : `  CUDA provider missing: onnxruntime-node has no download of it for ${onnx.platform}`,
    );
  return lines;
}

/** The status as the command prints it without --json. */
export function formatStationStatus(status: StationStatus): string {
  const c = status.catalogue;
  return [
    `QA Station data folder: ${status.home}`,
    `  catalogue ${c.file} (${c.created ? 'created now' : 'existing'}, schema v${c.schemaVersion})`,
    `  ${c.products} products, ${c.sampleImages} good training images, active model: ${c.activeModel ?? 'none yet'}`,
    `  runtimes: ${status.runtimes.tfjs}; ${status.runtimes.onnxruntime}; ${status.runtimes.cores} cores`,
    ...onnxLines(status.runtimes.onnx),
    `  backbones: ${status.backbones.map((b) => b.label).join('; ')}`,
    '',
  ].join('\n');
}

export function statusCommand(io: CliIo): Command {
  return new Command('status')
    .description('open the station data folder (creating its catalogue if needed) and report its state')
    .option('--home <dir>', 'station data folder')
    .option('--json', 'print JSON')
    .action(async (options: { home?: string; json?: boolean }) => {
      const status = await stationStatus(options.home);
      if (options.json) return printJson(io, status);
      io.stdout.write(formatStationStatus(status));
    });
}
