import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { Catalog } from '../../main/catalog/catalog';
import { exportModelPackage } from '../../main/services/inspection/modelPackageExport';
import { stationPaths } from '../../main/stationPaths';
import { printJson, type CliIo } from './cliIo';

export function exportCommand(io: CliIo): Command {
  return new Command('export')
    .description('write a self-contained package of a model version: ONNX graphs, thresholds, pseudo-names, a manifest with hashes')
    .argument('<version>', 'model version')
    .requiredOption('--out <dir>', 'folder to create (it must not exist, or be empty)')
    .option('--home <dir>', 'station data folder')
    .option('--json', 'print the manifest as JSON')
    .action(async (version: string, options: { out: string; home?: string; json?: boolean }) => {
      const paths = stationPaths(options.home);
      const catalog = Catalog.open(paths.catalogFile);
      try {
        const manifest = await exportModelPackage(catalog, paths, version, options.out, `cli:${os.userInfo().username}`);
        if (options.json) return printJson(io, manifest);
        const bytes = Object.values(manifest.files).reduce((sum, f) => sum + f.bytes, 0);
        io.stdout.write(
          `${version} exported to ${path.resolve(options.out)}: ${manifest.products.length} product(s), ${(bytes / 1e6).toFixed(1)} MB\n`,
        );
        for (const p of manifest.products) io.stdout.write(`  ${p.name}: threshold ${p.threshold.toFixed(4)} (${p.thresholdSource})\n`);
      } finally {
        catalog.close();
      }
    });
}
