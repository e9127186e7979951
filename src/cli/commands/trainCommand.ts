import path from 'node:path';
import { Command, Option } from 'commander';
import { BACKBONE_IDS, FEATURE_RUNTIME_IDS, type BackboneId, type FeatureRuntimeId } from '../../shared/backbones';
import { TRAINING_PRESETS, type TrainReport } from '../../shared/training';
import { Catalog } from '../../main/catalog/catalog';
import { LTAD_ABLATIONS, type LtadAblation, type LtadPreset } from '../../main/engine/ltad/ltadConfig';
import { trainForStation } from '../../main/services/training/stationTraining';
import { trainingClasses, type TrainingSetRequest } from '../../main/services/training/trainingSet';
import { stationPaths } from '../../main/stationPaths';
import { printJson, type CliIo } from './cliIo';
import { parseIntegerOption, parseList, parseNumberOption } from './optionParsers';

interface TrainOptions extends TrainingSetRequest {
  preset: LtadPreset;
  ablation: LtadAblation;
  backbone: BackboneId;
  pack?: string;
  runtime: FeatureRuntimeId;
  phase1Epochs?: number;
  phase2Epochs?: number;
  home?: string;
  json?: boolean;
}

export function trainCommand(io: CliIo): Command {
  return new Command('train')
    .description('train one LTAD model on every DIR/<class>/train/good (a candidate version until promoted)')
    .requiredOption('--data <dir>', 'dataset folder in the MVTec layout')
    .option('--classes <a,b>', 'only these classes', parseList)
    .addOption(new Option('--lt <type>', 'long-tailed subset of the training images').choices(['exp', 'step']))
    .option('--beta <b>', 'imbalance N_max / N_min for --lt', parseNumberOption(1))
    .option('--nmax <n>', 'images of the head class for --lt', parseIntegerOption(1, 1_000_000))
    .option('--seed <s>', 'random seed (split, initial weights, sampling)', parseIntegerOption(0, 2 ** 31 - 1), 0)
    .addOption(new Option('--preset <name>', 'model size and schedule').choices(TRAINING_PRESETS).default('standard'))
    .addOption(new Option('--ablation <name>', 'train an ablated variant (for evaluation)').choices(LTAD_ABLATIONS).default('none'))
    .addOption(new Option('--backbone <id>', 'pretrained backbone').choices(BACKBONE_IDS).default('mobilenetv2'))
    .option('--pack <dir>', 'a CLIP-family foundation pack folder (image tower + text tower) instead of the built-in backbone')
    .addOption(new Option('--runtime <id>', 'backbone runtime').choices(FEATURE_RUNTIME_IDS).default('onnx'))
    .option('--phase1-epochs <n>', "override the preset's phase-1 epochs", parseIntegerOption(0, 10_000))
    .option('--phase2-epochs <n>', "override the preset's phase-2 epochs", parseIntegerOption(1, 10_000))
    .option('--home <dir>', 'station data folder')
    .option('--json', 'print JSON')
    .action(async (options: TrainOptions) => {
      const classes = trainingClasses(options);
      const paths = stationPaths(options.home);
      const catalog = Catalog.open(paths.catalogFile);
      const abort = new AbortController();
      const onSigint = () => {
        io.stderr.write('\nCancelling training...\n');
        abort.abort();
      };
      process.once('SIGINT', onSigint);
      try {
        let lastLine = 0;
        const outcome = await trainForStation(
          catalog,
          paths,
          {
            classes,
            foundation: options.pack ? { kind: 'pack', dir: path.resolve(options.pack) } : { kind: 'builtin', backbone: options.backbone },
            runtime: options.runtime,
            preset: options.preset,
            ablation: options.ablation,
            seed: options.seed,
            overrides: {
              ...(options.phase1Epochs !== undefined ? { phase1Epochs: options.phase1Epochs } : {}),
              ...(options.phase2Epochs !== undefined ? { phase2Epochs: options.phase2Epochs } : {}),
            },
            actor: 'cli',
          },
          {
            signal: abort.signal,
            onLog: (line) => io.stderr.write(`${line}\n`),
            onProgress: (e) => {
              if (Date.now() - lastLine < 2000 && e.step !== e.steps) return;
              lastLine = Date.now();
              const losses = Object.entries(e.losses)
                .map(([k, v]) => `${k} ${v.toFixed(4)}`)
                .join(', ');
              io.stderr.write(
                `${e.phase} epoch ${e.epoch}/${e.epochs} step ${e.step}/${e.steps}: ${losses}; ETA ${Math.round(e.etaSeconds)} s\n`,
              );
            },
          },
        );
        const training = (outcome.model.metrics?.training ?? {}) as {
          backend?: string;
          nTrainPerClass?: Record<string, number>;
          nHeldOutPerClass?: Record<string, number>;
        };
        const report: TrainReport = {
          modelVersion: outcome.model.version,
          backend: training.backend ?? 'unknown',
          trainSeconds: Math.round(outcome.seconds * 10) / 10,
          perPhaseSeconds: Object.fromEntries(Object.entries(outcome.perPhaseSeconds).map(([k, v]) => [k, Math.round(v * 10) / 10])),
          nTrainPerClass: training.nTrainPerClass ?? {},
          nHeldOutPerClass: training.nHeldOutPerClass ?? {},
          textTower: outcome.model.textTower,
        };
        if (options.json) return printJson(io, report);
        io.stdout.write(`Trained ${report.modelVersion} (candidate) in ${report.trainSeconds} s on ${report.backend}\n`);
      } finally {
        process.removeListener('SIGINT', onSigint);
        catalog.close();
      }
    });
}
