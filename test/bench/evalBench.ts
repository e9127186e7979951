/**
 * npm run bench:eval — LTAD, its ablations and both peers, trained and evaluated in one run on
 * (a) a synthetic long-tailed set and (b) ../shared/data/real. Prints one table and a JSON record.
 *
 *   npm run bench:eval -- [--preset fast|standard] [--classes 8] [--nmax 40] [--beta 10]
 *                          [--methods ltad,no-semantic,no-vae,no-names,direct-classifier,feature-noise,transformer,padim,patchcore]
 *                          [--datasets synthetic,real,real-exp100,real-scored] [--seed 0]
 *                          [--backbone mobilenetv2|inceptionv3] [--grid N] [--fit letterbox|stretch]
 *
 * real: every class of ../shared/data/real trained as it is; real-exp100: the same classes cut to
 * the LTAD paper's exp long tail with beta 100 (largest class first); real-scored: only the classes
 * with test sets, so that a per-class comparison with `real` shows what adding products costs.
 */
import { TRAINING_PRESETS } from '../../src/shared/training';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { BackboneId } from '../../src/shared/backbones';
import { inputFitSchema, type InputFit } from '../../src/shared/inputFit';
import type { EvaluationReport } from '../../src/shared/evaluation';
import { runModelEvaluation, runPeerEvaluation } from '../../src/main/services/evaluation/methodEvaluation';
import { trainingClasses } from '../../src/main/services/training/trainingSet';
import { Catalog } from '../../src/main/catalog/catalog';
import type { LtadAblation, LtadConfig, LtadPreset } from '../../src/main/engine/ltad/ltadConfig';
import type { LtadModelMeta } from '../../src/main/engine/ltad/ltadModel';
import { trainForStation } from '../../src/main/services/training/stationTraining';
import { stationPaths } from '../../src/main/stationPaths';
import { scanMvtecDataset } from '../../src/main/ingest/datasetLayout';
import { generateSyntheticDataset } from '../../src/main/synthetic/syntheticDataset';
import { hasRealData, REAL_DATA_DIR } from '../helpers/realData';

/**
 * LTAD and its ablations: the paper's (an ablation of the network) and this product's own choices
 * (a preset override): feature-noise trains without painted defect views, transformer replaces the
 * memory reconstruction module by UniAD's transformer.
 */
interface LtadVariant {
  ablation: LtadAblation;
  overrides?: Partial<LtadConfig>;
}

const LTAD_VARIANTS: Record<string, LtadVariant> = {
  ltad: { ablation: 'none' },
  'no-semantic': { ablation: 'no-semantic' },
  'no-vae': { ablation: 'no-vae' },
  'no-names': { ablation: 'no-names' },
  'direct-classifier': { ablation: 'direct-classifier' },
  'feature-noise': { ablation: 'none', overrides: { defectViewProbability: 0 } },
  transformer: { ablation: 'none', overrides: { reconstruction: 'transformer' } },
};

/** One training set and the test sets scored on it. */
interface BenchDataset {
  name: string;
  dir: string;
  training: { name: string; trainFiles: string[] }[];
}

interface Row {
  dataset: string;
  method: string;
  report: EvaluationReport & {
    modelMbPerProduct?: number;
    semanticWeight?: LtadModelMeta['semanticWeight'];
    semanticWeights?: LtadModelMeta['semanticWeights'];
  };
}

const trainFilesOf = (d: BenchDataset) => Object.fromEntries(d.training.map((c) => [c.name, c.trainFiles]));
const classNamesOf = (d: BenchDataset) => d.training.map((c) => c.name);

/** The features every method is measured on: backbone and token grid (its default when absent). */
interface BenchFeatures {
  backbone: BackboneId;
  grid?: number;
  fit?: InputFit;
}

async function evaluateLtad(
  dataset: BenchDataset,
  home: string,
  preset: LtadPreset,
  variant: LtadVariant,
  features: BenchFeatures,
  seed: number,
): Promise<Row['report']> {
  const { ablation } = variant;
  const overrides = {
    ...variant.overrides,
    ...(features.grid ? { grid: features.grid } : {}),
    ...(features.fit ? { inputFit: features.fit } : {}),
  };
  const paths = stationPaths(home);
  const catalog = Catalog.open(paths.catalogFile);
  let version: string;
  try {
    const classes = dataset.training;
    let last = 0;
    const outcome = await trainForStation(
      catalog,
      paths,
      {
        classes,
        foundation: { kind: 'builtin', backbone: features.backbone },
        runtime: 'onnx',
        preset,
        ablation,
        overrides,
        seed,
        actor: 'bench',
      },
      {
        onProgress: (e) => {
          if (Date.now() - last > 30_000) {
            last = Date.now();
            console.error(`  ${ablation} ${e.phase} epoch ${e.epoch}/${e.epochs}, ETA ${Math.round(e.etaSeconds)} s`);
          }
        },
      },
    );
    version = outcome.model.version;
  } finally {
    catalog.close();
  }
  const report = await runModelEvaluation({
    data: dataset.dir,
    classes: classNamesOf(dataset),
    trainFiles: trainFilesOf(dataset),
    model: version,
    home,
    backbone: features.backbone,
    runtime: 'onnx',
    seed,
  });
  const modelDir = path.join(paths.modelsDir, version);
  const meta = JSON.parse(readFileSync(path.join(modelDir, 'model.json'), 'utf8')) as LtadModelMeta;
  return {
    ...report,
    modelMbPerProduct: directoryBytes(modelDir) / 1e6 / classesOf(report),
    ...(meta.semanticWeight ? { semanticWeight: meta.semanticWeight } : {}),
    ...(meta.semanticWeights ? { semanticWeights: meta.semanticWeights } : {}),
  };
}

const classesOf = (r: EvaluationReport) => Object.keys(r.perClass).length + r.untestedClasses.length;

function directoryBytes(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce(
    (n, e) => n + (e.isDirectory() ? directoryBytes(path.join(dir, e.name)) : statSync(path.join(dir, e.name)).size),
    0,
  );
}

const f = (v: number | null) => (v === null ? '-' : v.toFixed(3));

function realDataset(view: string, seed: number): BenchDataset {
  const all = scanMvtecDataset(REAL_DATA_DIR);
  if (view === 'real')
    return {
      name: `real (${all.length} classes as they are)`,
      dir: REAL_DATA_DIR,
      training: trainingClasses({ data: REAL_DATA_DIR, seed }),
    };
  if (view === 'real-exp100')
    return {
      name: `real (${all.length} classes, exp beta 100, seed ${seed})`,
      dir: REAL_DATA_DIR,
      training: trainingClasses({ data: REAL_DATA_DIR, lt: 'exp', beta: 100, seed }),
    };
  if (view === 'real-scored') {
    const scored = all.filter((c) => c.test.length > 0).map((c) => c.name);
    return {
      name: `real (the ${scored.length} classes with tests only)`,
      dir: REAL_DATA_DIR,
      training: trainingClasses({ data: REAL_DATA_DIR, classes: scored, seed }),
    };
  }
  throw new Error(`Unknown dataset ${view}: use synthetic, real, real-exp100 or real-scored`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      preset: { type: 'string', default: 'standard' },
      classes: { type: 'string', default: '8' },
      nmax: { type: 'string', default: '40' },
      beta: { type: 'string', default: '10' },
      seed: { type: 'string', default: '0' },
      methods: { type: 'string', default: 'ltad,no-semantic,no-vae,no-names,direct-classifier,feature-noise,transformer,padim,patchcore' },
      datasets: { type: 'string', default: 'synthetic,real' },
      backbone: { type: 'string', default: 'mobilenetv2' },
      grid: { type: 'string' },
      fit: { type: 'string' },
    },
  });
  if (!(TRAINING_PRESETS as readonly string[]).includes(values.preset as string))
    throw new Error(`Unknown --preset "${values.preset}" (${TRAINING_PRESETS.join(' or ')})`);
  const preset = values.preset as LtadPreset;
  const features: BenchFeatures = {
    backbone: values.backbone as BackboneId,
    ...(values.grid ? { grid: Number(values.grid) } : {}),
    ...(values.fit ? { fit: inputFitSchema.parse(values.fit) } : {}),
  };
  const seed = Number(values.seed);
  const methods = (values.methods as string).split(',');
  const datasets: BenchDataset[] = [];
  const wanted = (values.datasets as string).split(',');
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'qa-bench-eval-'));
  try {
    if (wanted.includes('synthetic')) {
      const dir = path.join(scratch, 'synthetic');
      await generateSyntheticDataset({
        outDir: dir,
        classes: Number(values.classes),
        seed,
        nMax: Number(values.nmax),
        longTail: { type: 'exp', beta: Number(values.beta) },
        testGood: 8,
        testDefectsPerType: 2,
      });
      datasets.push({
        name: `synthetic (${values.classes} classes, exp beta ${values.beta}, N_max ${values.nmax}, seed ${seed})`,
        dir,
        training: trainingClasses({ data: dir, seed }),
      });
    }
    const realViews = wanted.filter((w) => w.startsWith('real'));
    if (realViews.length > 0 && !hasRealData) console.error(`real data not found at ${REAL_DATA_DIR}: skipped`);
    if (hasRealData) for (const view of realViews) datasets.push(realDataset(view, seed));
    const rows: Row[] = [];
    for (const dataset of datasets) {
      for (const method of methods) {
        console.error(`${dataset.name}: ${method}...`);
        const home = path.join(scratch, `home-${rows.length}`);
        const report: Row['report'] =
          method in LTAD_VARIANTS
            ? await evaluateLtad(dataset, home, preset, LTAD_VARIANTS[method] as LtadVariant, features, seed)
            : await runPeerEvaluation({
                data: dataset.dir,
                classes: classNamesOf(dataset),
                trainFiles: trainFilesOf(dataset),
                method: method as 'padim' | 'patchcore',
                ...features,
                runtime: 'onnx',
                seed,
                home,
              });
        rows.push({ dataset: dataset.name, method, report });
        const r = report;
        console.error(
          `  avg image ${f(r.avg.image)} pixel ${f(r.avg.pixel)}; low image ${f(r.low.image)}; train ${r.trainSeconds.toFixed(0)} s`,
        );
        if (r.semanticWeight)
          console.error(
            `  semantic weight pooled ${r.semanticWeight.weight} (painted held-out views, image AUROC by weight: ${JSON.stringify(r.semanticWeight.aurocByWeight)})`,
          );
        for (const [name, c] of Object.entries(r.semanticWeights ?? {}))
          console.error(
            `    ${name}: ${c.weight} (${c.views} views; ${Object.entries(c.aurocByWeight)
              .map(([w, a]) => `${w}: ${a.toFixed(3)}`)
              .join(', ')})`,
          );
      }
    }
    const first = rows[0]?.report;
    console.log(
      `\nbench:eval — preset ${preset}, backbone ${features.backbone} (ONNX), grid ${first?.grid ?? features.grid ?? 'default'}, input ${first?.inputFit ?? features.fit ?? 'default'}, ${os.availableParallelism()} cores (${os.cpus()[0]?.model}), ${first?.backend ?? ''}; maps at 224 px\n`,
    );
    console.log(
      '| data | method | Avg image | Avg pixel | High image | High pixel | Low image | Low pixel | train s | ms/image | model MB per product |',
    );
    console.log('|---|---|---|---|---|---|---|---|---|---|---|');
    for (const { dataset, method, report: r } of rows) {
      console.log(
        `| ${dataset} | ${method} | ${f(r.avg.image)} | ${f(r.avg.pixel)} | ${f(r.high.image)} | ${f(r.high.pixel)} | ${f(r.low.image)} | ${f(r.low.pixel)} | ${r.trainSeconds.toFixed(0)} | ${r.msPerImage.toFixed(0)} | ${r.modelMbPerProduct === undefined ? '-' : r.modelMbPerProduct.toFixed(2)} |`,
      );
    }
    console.log(
      `\n${JSON.stringify({ benchmark: 'eval', date: new Date().toISOString(), preset, seed, cores: os.availableParallelism(), rows: rows.map(({ dataset, method, report }) => ({ dataset, benchMethod: method, ...report })) }, null, 1)}`,
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`bench:eval failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
