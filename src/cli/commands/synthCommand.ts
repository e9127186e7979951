import { Command, Option } from 'commander';
import { generateSyntheticDataset } from '../../main/synthetic/syntheticDataset';
import { CliError, printJson, type CliIo } from './cliIo';
import { parseIntegerOption, parseNumberOption } from './optionParsers';

interface SynthOptions {
  out: string;
  classes: number;
  seed: number;
  size: number;
  nmax: number;
  longtail?: 'exp' | 'step';
  beta?: number;
  testGood: number;
  testDefects: number;
  json?: boolean;
}

export function synthCommand(io: CliIo): Command {
  return new Command('synth')
    .description('write a deterministic synthetic dataset (MVTec layout, exact defect masks)')
    .requiredOption('--out <dir>', 'output folder')
    .requiredOption('--classes <n>', 'number of product classes', parseIntegerOption(1, 200))
    .requiredOption('--seed <s>', 'random seed', parseIntegerOption(0, 2 ** 32 - 1))
    .option('--size <px>', 'image size in pixels', parseIntegerOption(32, 1024), 128)
    .option('--nmax <n>', 'training images of the largest class', parseIntegerOption(1, 100_000), 40)
    .addOption(new Option('--longtail <type>', 'long-tailed class sizes').choices(['exp', 'step']))
    .option('--beta <b>', 'imbalance N_max / N_min for --longtail', parseNumberOption(1))
    .option('--test-good <n>', 'good test images per class', parseIntegerOption(0, 10_000), 8)
    .option('--test-defects <n>', 'test images per defect type per class', parseIntegerOption(0, 10_000), 3)
    .option('--json', 'print the summary as JSON')
    .action(async (options: SynthOptions) => {
      if (options.longtail && options.beta === undefined) throw new CliError('--longtail needs --beta (for example --beta 10)');
      if (!options.longtail && options.beta !== undefined) throw new CliError('--beta only applies with --longtail exp|step');
      const summary = await generateSyntheticDataset({
        outDir: options.out,
        classes: options.classes,
        seed: options.seed,
        size: options.size,
        nMax: options.nmax,
        ...(options.longtail ? { longTail: { type: options.longtail, beta: options.beta as number } } : {}),
        testGood: options.testGood,
        testDefectsPerType: options.testDefects,
      });
      if (options.json) return printJson(io, summary);
      io.stdout.write(`Wrote ${summary.classes.length} classes to ${summary.outDir}\n`);
      for (const c of summary.classes)
        io.stdout.write(
          `  ${c.name} (${c.kind}): ${c.train} train, ${c.testGood} good test, ${Object.values(c.testDefect).reduce((a, b) => a + b, 0)} defective test\n`,
        );
    });
}
