import { Command, Option } from 'commander';
import { BACKBONE_IDS, FEATURE_RUNTIME_IDS, type BackboneId, type FeatureRuntimeId } from '../../shared/backbones';
import type { EvaluationReport } from '../../shared/evaluation';
import { createFeatureExtractor } from '../../main/engine/backbone/createFeatureExtractor';
import { openImageEncoder } from '../../main/engine/foundationPack/foundationSource';
import { fitPeer, PEER_METHODS, type PeerMethod } from '../../main/engine/peers/peerMethods';
import { initTfjs } from '../../main/engine/tfjsRuntime';
import { Catalog } from '../../main/catalog/catalog';
import { evaluateDataset } from '../../main/services/datasetEvaluation';
import { loadModelVersion } from '../../main/services/modelRegistry';
import { TokenFeatureSource } from '../../main/services/tokenFeatureSource';
import { stationPaths } from '../../main/stationPaths';
import { CliError, printJson, type CliIo } from '../cliIo';
import { parseIntegerOption, parseList } from '../optionParsers';

interface EvalOptions {
  data: string;
  method?: PeerMethod;
  model?: string;
  classes?: string[];
  backbone: BackboneId;
  runtime: FeatureRuntimeId;
  grid?: number;
  seed: number;
  home?: string;
  json?: boolean;
}

/** The default token grid: the deepest tap's own size (14 for MobileNetV2, 17 for InceptionV3). */
export const DEFAULT_GRID: Record<BackboneId, number> = { mobilenetv2: 14, inceptionv3: 17 };

export async function runPeerEvaluation(options: EvalOptions & { method: PeerMethod }, log?: (line: string) => void): Promise<EvaluationReport> {
  const tfjs = await initTfjs();
  const extractor = await createFeatureExtractor({ backbone: options.backbone, runtime: options.runtime, cacheDir: stationPaths(options.home).backboneCacheDir });
  try {
    const source = new TokenFeatureSource(extractor, options.grid ?? DEFAULT_GRID[options.backbone]);
    return await evaluateDataset({
      dataDir: options.data,
      ...(options.classes ? { classes: options.classes } : {}),
      source,
      scorerFor: async (_name, train) => fitPeer(options.method, train, options.seed),
      map: { size: 224, blurSigma: 4, scoreWindow: 1 },
      describe: { method: options.method, ablation: null, backbone: options.backbone, featureRuntime: extractor.runtimeDetail, backend: tfjs.detail },
      ...(log ? { log } : {}),
    });
  } finally {
    await extractor.dispose();
  }
}

/** Evaluates a trained LTAD model version on the dataset's test sets. */
export async function runModelEvaluation(options: EvalOptions & { model: string }, log?: (line: string) => void): Promise<EvaluationReport> {
  const tfjs = await initTfjs();
  const paths = stationPaths(options.home);
  const catalog = Catalog.open(paths.catalogFile);
  let loaded: Awaited<ReturnType<typeof loadModelVersion>> | undefined;
  try {
    loaded = await loadModelVersion(catalog, options.model);
  } finally {
    catalog.close();
  }
  const { model, row } = loaded;
  const extractor = await openImageEncoder(model.meta.foundation, options.runtime, paths.backboneCacheDir);
  try {
    const report = await evaluateDataset({
      dataDir: options.data,
      ...(options.classes ? { classes: options.classes } : {}),
      source: new TokenFeatureSource(extractor, model.meta.config.grid),
      scorerFor: async (name) => {
        model.classIndex(name); // refuses classes the model was not trained on
        return { scoreTokens: (tokens) => model.tokenScores(tokens, 1, name), dispose: () => {} };
      },
      map: model.meta.map,
      describe: { method: `ltad ${row.version}`, ablation: model.meta.config.ablation === 'none' ? null : model.meta.config.ablation, backbone: model.meta.backbone, featureRuntime: extractor.runtimeDetail, backend: tfjs.detail },
      ...(log ? { log } : {}),
    });
    // The model was trained before: report its own training time, not this run's feature pass.
    return { ...report, trainSeconds: model.meta.training.seconds };
  } finally {
    await extractor.dispose();
    model.dispose();
  }
}

export function formatEvaluation(report: EvaluationReport): string {
  const f = (v: number | null) => (v === null ? '  -  ' : v.toFixed(3));
  const lines = [`${report.method}${report.ablation ? ` (${report.ablation})` : ''} on ${report.backbone} (${report.featureRuntime}; ${report.backend}), grid ${report.grid}, maps at ${report.mapSize} px`];
  lines.push('class                 nTrain  image  pixel  aupro');
  for (const [name, c] of Object.entries(report.perClass)) lines.push(`${name.padEnd(20)} ${String(c.nTrain).padStart(7)}  ${f(c.imageAuroc)}  ${f(c.pixelAuroc)}  ${f(c.aupro)}`);
  for (const [label, m] of [['Avg', report.avg], ['High', report.high], ['Low', report.low]] as const) lines.push(`${label.padEnd(28)}  ${f(m.image)}  ${f(m.pixel)}  ${f(m.aupro)}`);
  lines.push(`train ${report.trainSeconds.toFixed(1)} s, ${report.msPerImage.toFixed(1)} ms per test image, ${report.cores} cores`);
  if (report.untestedClasses.length > 0) lines.push(`no test set (not evaluated): ${report.untestedClasses.join(', ')}`);
  return `${lines.join('\n')}\n`;
}

export function evalCommand(io: CliIo): Command {
  return new Command('eval')
    .description('evaluate an anomaly detector on DIR/<class>/test (image AUROC, pixel AUROC, AUPRO; Avg/High/Low)')
    .requiredOption('--data <dir>', 'dataset folder in the MVTec layout')
    .addOption(new Option('--method <name>', 'peer method, fitted on DIR/<class>/train/good first').choices(PEER_METHODS).conflicts('model'))
    .option('--model <version>', 'an LTAD model version from the station catalogue (see --home)')
    .option('--classes <a,b>', 'only these classes', parseList)
    .addOption(new Option('--backbone <id>', 'pretrained backbone').choices(BACKBONE_IDS).default('mobilenetv2'))
    .addOption(new Option('--runtime <id>', 'backbone runtime').choices(FEATURE_RUNTIME_IDS).default('onnx'))
    .option('--grid <n>', 'token grid size (default: the deepest tap\'s size)', parseIntegerOption(2, 64))
    .option('--seed <s>', 'random seed', parseIntegerOption(0, 2 ** 32 - 1), 0)
    .option('--home <dir>', 'station data folder')
    .option('--json', 'print JSON')
    .action(async (options: EvalOptions) => {
      const log = options.json ? undefined : (line: string) => io.stderr.write(`${line}\n`);
      if (!options.method && !options.model) throw new CliError('Say what to evaluate: --model VERSION (a trained LTAD model) or --method padim|patchcore');
      const report = options.model ? await runModelEvaluation({ ...options, model: options.model }, log) : await runPeerEvaluation({ ...options, method: options.method as PeerMethod }, log);
      if (options.json) return printJson(io, report);
      io.stdout.write(formatEvaluation(report));
    });
}
