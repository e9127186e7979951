import { Command, Option } from 'commander';
import { BACKBONE_IDS, FEATURE_RUNTIME_IDS, type BackboneId, type FeatureRuntimeId, type FeaturesReport } from '../../shared/backbones';
import { createFeatureExtractor } from '../../main/engineAdapters/createFeatureExtractor';
import { loadNetworkImages, toNetworkBatch } from '../../main/ingest/networkInput';
import { stationPaths } from '../../main/stationPaths';
import { printJson, type CliIo } from './cliIo';
import { parseList } from './optionParsers';

interface FeaturesOptions {
  backbone: BackboneId;
  runtime: FeatureRuntimeId;
  taps?: string[];
  home?: string;
  json?: boolean;
}

export async function runFeatures(image: string, options: FeaturesOptions): Promise<FeaturesReport> {
  const extractor = await createFeatureExtractor({
    backbone: options.backbone,
    runtime: options.runtime,
    ...(options.taps ? { taps: options.taps } : {}),
    cacheDir: stationPaths(options.home).backboneCacheDir,
  });
  try {
    const started = performance.now();
    const taps = await extractor.extract(toNetworkBatch(await loadNetworkImages([image], extractor.inputSize, 'stretch')), 1);
    const ms = performance.now() - started;
    return {
      backbone: options.backbone,
      runtime: extractor.runtime,
      runtimeDetail: extractor.runtimeDetail,
      image,
      taps: taps.map((t) => ({ name: t.name, shape: [t.shape[1], t.shape[2], t.shape[3]] })),
      ms: Math.round(ms * 10) / 10,
    };
  } finally {
    await extractor.dispose();
  }
}

export function featuresCommand(io: CliIo): Command {
  return new Command('features')
    .description('run the pretrained backbone on one image and report its tapped feature maps')
    .argument('<image>', 'PNG, JPEG, BMP, TIFF or WebP image')
    .addOption(new Option('--backbone <id>', 'pretrained backbone').choices(BACKBONE_IDS).default('mobilenetv2'))
    .addOption(new Option('--runtime <id>', 'onnx (onnxruntime-node) or tfjs').choices(FEATURE_RUNTIME_IDS).default('onnx'))
    .option('--taps <layers>', "comma-separated layer names to tap (default: the backbone's taps)", parseList)
    .option('--home <dir>', 'station data folder (holds the converted-model cache)')
    .option('--json', 'print JSON')
    .action(async (image: string, options: FeaturesOptions) => {
      const report = await runFeatures(image, options);
      if (options.json) return printJson(io, report);
      io.stdout.write(`${report.backbone} on ${report.runtimeDetail}: ${report.ms} ms\n`);
      for (const tap of report.taps) io.stdout.write(`  ${tap.name.padEnd(24)} ${tap.shape.join(' x ')}\n`);
    });
}
