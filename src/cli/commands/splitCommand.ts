import { writeFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { buildLongTailSplit, type ClassOrder } from '../../main/engine/longtail/longTailSplit';
import { scanMvtecDataset } from '../../main/ingest/datasetLayout';
import { CliError, printJson, type CliIo } from './cliIo';
import { parseIntegerOption, parseNumberOption } from './optionParsers';

interface SplitOptions {
  data: string;
  type: 'exp' | 'step';
  beta: number;
  nmax?: number;
  seed: number;
  order: ClassOrder;
  out: string;
  json?: boolean;
}

export function splitCommand(io: CliIo): Command {
  return new Command('split')
    .description('choose a long-tailed training subset of DIR/<class>/train/good (LTAD exp/step protocols)')
    .requiredOption('--data <dir>', 'dataset folder in the MVTec layout')
    .addOption(new Option('--type <type>', 'protocol').choices(['exp', 'step']).makeOptionMandatory())
    .requiredOption('--beta <b>', 'imbalance N_max / N_min', parseNumberOption(1))
    .option('--nmax <n>', 'images of the head class (default: the largest class)', parseIntegerOption(1, 1_000_000))
    .requiredOption('--seed <s>', 'random seed', parseIntegerOption(0, 2 ** 32 - 1))
    .addOption(new Option('--order <order>', 'which class is the head').choices(['available', 'name', 'shuffle']).default('available'))
    .requiredOption('--out <file>', 'where to write the split JSON')
    .option('--json', 'also print the split summary as JSON')
    .action((options: SplitOptions) => {
      const classes = scanMvtecDataset(options.data);
      if (classes.length === 0) throw new CliError(`${options.data} has no <class>/train/good folders`);
      const split = buildLongTailSplit(
        classes.map((c) => ({ name: c.name, items: c.trainGood })),
        {
          type: options.type,
          beta: options.beta,
          seed: options.seed,
          order: options.order,
          ...(options.nmax ? { nMax: options.nmax } : {}),
        },
      );
      writeFileSync(options.out, `${JSON.stringify({ data: options.data, ...split }, null, 2)}\n`);
      const summary = split.classes.map(({ name, rank, available, requested, n }) => ({ name, rank, available, requested, n }));
      if (options.json)
        return printJson(io, {
          out: options.out,
          type: split.type,
          beta: split.beta,
          nMax: split.nMax,
          seed: split.seed,
          classes: summary,
        });
      io.stdout.write(`Wrote ${options.out}\n`);
      for (const c of summary)
        io.stdout.write(
          `  ${c.name.padEnd(20)} ${String(c.n).padStart(5)} of ${c.available}${c.n < c.requested ? ` (asked ${c.requested})` : ''}\n`,
        );
    });
}
