import { Command, Option } from 'commander';
import { FEATURE_RUNTIME_IDS, type FeatureRuntimeId } from '../../shared/backbones';
import { Catalog } from '../../main/catalog/catalog';
import { ImageDecodeError } from '../../main/ingest/imageDecodeError';
import { Inspector, type InspectionOutcome } from '../../main/services/inspection/inspector';
import { stationPaths } from '../../main/stationPaths';
import { CliError, printJson, type CliIo } from './cliIo';

interface InspectOptions {
  class: string;
  model?: string;
  runtime: FeatureRuntimeId;
  station: string;
  home?: string;
  json?: boolean;
}

type FileResult = InspectionOutcome | { file: string; error: string; code?: string };

export function inspectCommand(io: CliIo): Command {
  return new Command('inspect')
    .description('inspect image files: PASS/FAIL, score vs threshold, defect regions, anomaly map and overlay PNG')
    .argument('<files...>', 'images to inspect')
    .requiredOption('--class <product>', 'the product being run')
    .option('--model <version>', 'model version (default: the active one)')
    .addOption(new Option('--runtime <id>', 'backbone runtime').choices(FEATURE_RUNTIME_IDS).default('onnx'))
    .option('--station <name>', 'station name recorded with each result', 'cli')
    .option('--home <dir>', 'station data folder')
    .option('--json', 'print JSON')
    .action(async (files: string[], options: InspectOptions) => {
      const paths = stationPaths(options.home);
      const catalog = Catalog.open(paths.catalogFile);
      try {
        const inspector = await Inspector.open(catalog, paths, {
          ...(options.model ? { version: options.model } : {}),
          runtime: options.runtime,
        });
        const results: FileResult[] = [];
        try {
          for (const file of files) {
            try {
              results.push(await inspector.inspect(file, options.class, { station: options.station, source: 'import' }));
            } catch (error) {
              // A bad file is reported and the rest are still inspected.
              if (!(error instanceof ImageDecodeError)) throw error;
              results.push({ file, error: error.message, code: error.code });
            }
          }
        } finally {
          await inspector.dispose();
        }
        if (options.json) printJson(io, results);
        else {
          for (const r of results) {
            if ('error' in r) io.stdout.write(`${r.file}: ERROR ${r.error}\n`);
            else
              io.stdout.write(
                `${r.file}: ${r.verdict.toUpperCase()} score ${r.score.toFixed(4)} / threshold ${r.threshold.toFixed(4)}, ${r.regions.length} region(s)${r.classWarning ? `, WARNING: looks like ${r.nearestProduct}` : ''}; ${r.overlayPath ? `overlay ${r.overlayPath}` : 'no images kept (the disk is full)'}\n`,
              );
          }
        }
        const failed = results.filter((r) => 'error' in r).length;
        if (failed > 0) throw new CliError(`${failed} of ${results.length} file(s) could not be inspected`);
      } finally {
        catalog.close();
      }
    });
}
