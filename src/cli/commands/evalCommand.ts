import { Command, Option } from 'commander';
import { BACKBONE_IDS, FEATURE_RUNTIME_IDS } from '../../shared/backbones';
import { INPUT_FITS, type InputFit } from '../../shared/inputFit';
import type { EvaluationReport } from '../../shared/evaluation';
import { PEER_METHODS, type PeerMethod } from '../../main/engine/peers/peerMethods';
import {
  PEER_INPUT_FIT,
  runModelEvaluation,
  runPeerEvaluation,
  type EvaluationRequest,
} from '../../main/services/evaluation/methodEvaluation';
import { CliError, printJson, type CliIo } from './cliIo';
import { parseIntegerOption, parseList } from './optionParsers';

interface EvalOptions extends EvaluationRequest {
  method?: PeerMethod;
  fit: InputFit;
  model?: string;
  heads: 'onnx' | 'tfjs';
  json?: boolean;
}

export function formatEvaluation(report: EvaluationReport): string {
  const f = (v: number | null) => (v === null ? '  -  ' : v.toFixed(3));
  const lines = [
    `${report.method}${report.ablation ? ` (${report.ablation})` : ''} on ${report.backbone} (${report.featureRuntime}; ${report.backend}), grid ${report.grid}, ${report.inputFit}, maps at ${report.mapSize} px`,
  ];
  const judged = Object.values(report.perClass).some((c) => c.atThreshold);
  lines.push(`class                 nTrain  image  pixel  aupro${judged ? '  at the threshold in force: false rejects / escapes' : ''}`);
  const percent = (v: number | null) => (v === null ? '-' : `${(v * 100).toFixed(1)}%`);
  for (const [name, c] of Object.entries(report.perClass)) {
    const verdicts = c.atThreshold ? `  ${percent(c.atThreshold.falseRejectRate)} / ${percent(c.atThreshold.escapeRate)}` : '';
    lines.push(`${name.padEnd(20)} ${String(c.nTrain).padStart(7)}  ${f(c.imageAuroc)}  ${f(c.pixelAuroc)}  ${f(c.aupro)}${verdicts}`);
  }
  for (const [label, m] of [
    ['Avg', report.avg],
    ['High', report.high],
    ['Low', report.low],
  ] as const)
    lines.push(`${label.padEnd(28)}  ${f(m.image)}  ${f(m.pixel)}  ${f(m.aupro)}`);
  lines.push(`train ${report.trainSeconds.toFixed(1)} s, ${report.msPerImage.toFixed(1)} ms per test image, ${report.cores} cores`);
  if (report.untestedClasses.length > 0) lines.push(`no test set (not evaluated): ${report.untestedClasses.join(', ')}`);
  return `${lines.join('\n')}\n`;
}

export function evalCommand(io: CliIo): Command {
  return new Command('eval')
    .description('evaluate an anomaly detector on DIR/<class>/test (image AUROC, pixel AUROC, AUPRO; Avg/High/Low)')
    .requiredOption('--data <dir>', 'dataset folder in the MVTec layout')
    .addOption(
      new Option('--method <name>', 'peer method, fitted on DIR/<class>/train/good first').choices(PEER_METHODS).conflicts('model'),
    )
    .option('--model <version>', 'an LTAD model version from the station catalogue (see --home)')
    .addOption(
      new Option('--heads <runtime>', "where a model's LTAD heads run: the station's onnxruntime, or tfjs (the reference)")
        .choices(['onnx', 'tfjs'])
        .default('onnx'),
    )
    .option('--classes <a,b>', 'only these classes', parseList)
    .addOption(new Option('--backbone <id>', 'pretrained backbone').choices(BACKBONE_IDS).default('mobilenetv2'))
    .addOption(new Option('--runtime <id>', 'backbone runtime').choices(FEATURE_RUNTIME_IDS).default('onnx'))
    .option('--grid <n>', "token grid size (default: the deepest tap's size)", parseIntegerOption(2, 64))
    .addOption(
      new Option('--fit <how>', 'how images enter the backbone, for --method (a model uses its own)')
        .choices(INPUT_FITS)
        .default(PEER_INPUT_FIT),
    )
    .option('--seed <s>', 'random seed', parseIntegerOption(0, 2 ** 32 - 1), 0)
    .option('--home <dir>', 'station data folder')
    .option('--json', 'print JSON')
    .action(async (options: EvalOptions) => {
      const log = options.json ? undefined : (line: string) => io.stderr.write(`${line}\n`);
      if (!options.method && !options.model)
        throw new CliError('Say what to evaluate: --model VERSION (a trained LTAD model) or --method padim|patchcore');
      const report = options.model
        ? await runModelEvaluation({ ...options, model: options.model }, log)
        : await runPeerEvaluation({ ...options, method: options.method as PeerMethod }, log);
      if (options.json) return printJson(io, report);
      io.stdout.write(formatEvaluation(report));
    });
}
