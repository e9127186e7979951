import { Command, Option } from 'commander';
import { FEATURE_RUNTIME_IDS, type FeatureRuntimeId } from '../../shared/backbones';
import { Catalog } from '../../main/catalog/catalog';
import { ImageDecodeError } from '../../main/ingest/imageDecodeError';
import type { InspectionVerdict } from '../../shared/inspectionVerdict';
import type { PackageInspection } from '../../shared/modelPackage';
import { Inspector, type InspectionOutcome } from '../../main/services/inspection/inspector';
import { PackageInspector } from '../../main/services/inspection/packageInspector';
import { stationPaths } from '../../main/stationPaths';
import { CliError, printJson, type CliIo } from './cliIo';

interface InspectOptions {
  class: string;
  package?: string;
  model?: string;
  runtime: FeatureRuntimeId;
  station: string;
  home?: string;
  json?: boolean;
}

type FileError = { file: string; error: string; code?: string };
type FileResult = InspectionOutcome | FileError;

/** Inspects each file in turn: a bad file is reported and the rest are still inspected. */
async function inspectEach<T>(files: readonly string[], inspectOne: (file: string) => Promise<T>): Promise<(T | FileError)[]> {
  const results: (T | FileError)[] = [];
  for (const file of files) {
    try {
      results.push(await inspectOne(file));
    } catch (error) {
      if (!(error instanceof ImageDecodeError)) throw error;
      // The file is named beside the error: the message says what is wrong, once.
      results.push({ file, error: error.reason, code: error.code });
    }
  }
  return results;
}

/** `inspect --package`: the same verdicts from the package alone, printed; nothing is stored or recorded. */
async function inspectWithPackage(io: CliIo, files: string[], dir: string, options: InspectOptions): Promise<void> {
  if (options.model) throw new CliError('--model and --package do not go together: the package is one model version', 2);
  if (options.home) throw new CliError('--home and --package do not go together: a package scores without a station', 2);
  const inspector = await PackageInspector.open(dir);
  let results: (PackageInspection | FileError)[];
  try {
    results = await inspectEach(files, (file) => inspector.inspectFile(file, options.class));
  } finally {
    await inspector.dispose();
  }
  if (options.json) printJson(io, results);
  else
    for (const r of results)
      io.stdout.write('error' in r ? `${r.file}: ERROR ${r.error}\n` : `${r.file}: ${verdictLine(r)} (package ${r.modelVersion})\n`);
  const failed = results.filter((r) => 'error' in r).length;
  if (failed > 0) throw new CliError(`${failed} of ${results.length} file(s) could not be inspected`);
}

/**
 * PASS/FAIL, the normalised score (threshold 0.5) with the raw score against the raw threshold
 * beside it, regions and a product warning: the same words for the station and a package.
 */
function verdictLine(r: InspectionVerdict): string {
  const normalised = r.normalisedScore === null ? '' : `score ${r.normalisedScore.toFixed(3)} / 0.5, `;
  return `${r.verdict.toUpperCase()} ${normalised}raw ${r.score.toFixed(4)} / threshold ${r.threshold.toFixed(4)}, ${r.regions.length} region(s)${r.classWarning ? `, WARNING: looks like ${r.nearestProduct}` : ''}`;
}

export function inspectCommand(io: CliIo): Command {
  return new Command('inspect')
    .description('inspect image files: PASS/FAIL, score vs threshold, defect regions, anomaly map and overlay')
    .argument('<files...>', 'images to inspect')
    .requiredOption('--class <product>', 'the product being run')
    .option('--model <version>', 'model version (default: the active one)')
    .option('--package <dir>', 'score from an exported package alone (qa-station export): no station, nothing recorded')
    .addOption(new Option('--runtime <id>', 'backbone runtime').choices(FEATURE_RUNTIME_IDS).default('onnx'))
    .option('--station <name>', 'station name recorded with each result', 'cli')
    .option('--home <dir>', 'station data folder')
    .option('--json', 'print JSON')
    .action(async (files: string[], options: InspectOptions) => {
      if (options.package) return inspectWithPackage(io, files, options.package, options);
      const paths = stationPaths(options.home);
      const catalog = Catalog.open(paths.catalogFile);
      try {
        const inspector = await Inspector.open(catalog, paths, {
          ...(options.model ? { version: options.model } : {}),
          runtime: options.runtime,
        });
        let results: FileResult[];
        try {
          results = await inspectEach(files, (file) =>
            inspector.inspect(file, options.class, { station: options.station, source: 'import' }),
          );
        } finally {
          await inspector.dispose();
        }
        if (options.json) printJson(io, results);
        else {
          for (const r of results) {
            if ('error' in r) io.stdout.write(`${r.file}: ERROR ${r.error}\n`);
            else
              io.stdout.write(
                `${r.file}: ${verdictLine(r)}; ${r.overlayPath ? `overlay ${r.overlayPath}` : 'no images kept (the disk is full)'}\n`,
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
