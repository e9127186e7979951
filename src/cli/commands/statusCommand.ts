import { existsSync } from 'node:fs';
import os from 'node:os';
import { Command } from 'commander';
import * as ort from 'onnxruntime-node';
import { Catalog } from '../../main/catalog/catalog';
import { schemaVersion } from '../../main/catalog/migrationRunner';
import { BACKBONE_SPECS } from '../../main/engine/backbone/backboneSpecs';
import { initTfjs } from '../../main/engine/tfjsRuntime';
import { stationPaths } from '../../main/stationPaths';
import { printJson, type CliIo } from './cliIo';

export interface StationStatus {
  home: string;
  catalogue: { file: string; created: boolean; schemaVersion: number; products: number; sampleImages: number; activeModel: string | null };
  runtimes: { tfjs: string; onnxruntime: string; cores: number };
  backbones: { id: string; label: string }[];
}

/** Opens (creating and upgrading) the station's catalogue and reports what the station has. */
export async function stationStatus(home?: string): Promise<StationStatus> {
  const paths = stationPaths(home);
  const created = !existsSync(paths.catalogFile);
  const catalog = Catalog.open(paths.catalogFile);
  try {
    const products = catalog.classes.listWithCounts();
    const tfjs = await initTfjs();
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
      runtimes: { tfjs: tfjs.detail, onnxruntime: `onnxruntime-node ${ort.env.versions.common} (cpu)`, cores: os.availableParallelism() },
      backbones: Object.values(BACKBONE_SPECS).map((s) => ({ id: s.id, label: s.label })),
    };
  } finally {
    catalog.close();
  }
}

export function statusCommand(io: CliIo): Command {
  return new Command('status')
    .description('open the station data folder (creating its catalogue if needed) and report its state')
    .option('--home <dir>', 'station data folder')
    .option('--json', 'print JSON')
    .action(async (options: { home?: string; json?: boolean }) => {
      const status = await stationStatus(options.home);
      if (options.json) return printJson(io, status);
      const c = status.catalogue;
      io.stdout.write(
        [
          `QA Station data folder: ${status.home}`,
          `  catalogue ${c.file} (${c.created ? 'created now' : 'existing'}, schema v${c.schemaVersion})`,
          `  ${c.products} products, ${c.sampleImages} good training images, active model: ${c.activeModel ?? 'none yet'}`,
          `  runtimes: ${status.runtimes.tfjs}; ${status.runtimes.onnxruntime}; ${status.runtimes.cores} cores`,
          `  backbones: ${status.backbones.map((b) => b.label).join('; ')}`,
          '',
        ].join('\n'),
      );
    });
}
