/**
 * npm run bench:curve — LTAD's learning curves: one model trained on every class of a dataset
 * (../shared/data/real by default), scored at checkpoints of phase 2 on the test sets of the
 * classes that have them. At every checkpoint it prints image and pixel AUROC of S_rec alone,
 * S_sem alone and S (both, normalised per position), per class and on average, and it writes the
 * curves as JSON and PNG.
 *
 *   npm run bench:curve -- [--preset fast|standard] [--set '{"memorySize":1024}'] [--every 40]
 *                          [--data DIR] [--out DIR] [--threads N] [--seed 0] [--steps-on onnx|tfjs]
 *
 * Training runs as the station's does: its steps on compiled onnxruntime graphs (--steps-on tfjs:
 * op by op on tfjs, with helper threads).
 *
 * Token maps are extracted once per dataset and kept in a float16 cache under the system's temp
 * folder (qa-curve-features), so that variants of the network can be compared quickly.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { createFeatureExtractor } from '../../src/main/engineAdapters/createFeatureExtractor';
import type { TokenRowFileInfo } from '../../src/main/engine/features/tokenRowFileInfo';
import { TokenRowFile, TokenRowFileWriter } from '../../src/main/engineAdapters/tokenRowFile';
import { standardise, type FeatureNormalisation } from '../../src/main/engine/features/featureNormalisation';
import { inputFitOf, LTAD_PRESETS, type LtadConfig, type LtadPreset } from '../../src/main/engine/ltad/ltadConfig';
import { LtadNetwork } from '../../src/main/engine/ltad/ltadNetwork';
import { phase2Compilable } from '../../src/main/engine/ltad/phase2TrainingGraph';
import { onnxStepCompiler } from '../../src/main/engineAdapters/onnxStepCompiler';
import { scoreTerms, TRAINED_SEMANTIC_SCALE, type TokenScoreTerms } from '../../src/main/engine/ltad/ltadScoring';
import { normalisedScores, type PositionStats } from '../../src/main/engine/ltad/positionNormalisation';
import { trainLtad } from '../../src/main/engine/ltad/ltadTrainer';
import type { TrainingRows, TrainingRowsSource } from '../../src/main/engine/ltad/trainingRows';
import { openTrainingRows } from '../../src/main/engineAdapters/openTrainingRows';
import { auroc } from '../../src/main/engine/metrics/auroc';
import { PixelAurocAccumulator } from '../../src/main/engine/metrics/pixelAuroc';
import { tokenScoresToMap, type MapOptions } from '../../src/main/engine/scoring/mapPostprocess';
import { kernelMode } from '../../src/main/engine/tensorKernels/kernelMode';
import { initTfjs, tf } from '../../src/main/engine/tfjsRuntime';
import { resolveFoundationPack } from '../../src/main/engineAdapters/resolveFoundationPack';
import { scanMvtecDataset, type DatasetClass } from '../../src/main/ingest/datasetLayout';
import { loadBinaryMask } from '../../src/main/ingest/maskLoader';
import { HELD_OUT_FRACTION, productHoldOut } from '../../src/main/engine/calibration/productHoldOut';
import { POSITION_STATS_IMAGES, productPositionStats } from '../../src/main/engine/calibration/productPositionStats';
import { productMemorySeeds } from '../../src/main/engine/ltad/normalMemory';
import type { InputFit } from '../../src/shared/inputFit';
import type { InputFrame } from '../../src/main/engine/features/inputFrame';
import { startStepWorkers } from '../../src/main/services/training/ltadStepWorkerPool';
import { TokenFeatureSource } from '../../src/main/services/inspection/tokenFeatureSource';
import { storeDefectViews } from '../../src/main/services/training/defectViewStore';
import { stationPaths } from '../../src/main/stationPaths';
import { REAL_DATA_DIR } from '../helpers/realData';

const MAP: MapOptions = { size: 224, blurSigma: 4, scoreWindow: 16 };
const FOUNDATION = { kind: 'builtin' as const, backbone: 'mobilenetv2' as const };
/** S_rec, S_sem and S normalised per position (as the model scores), and S_rec as it comes (recRaw). */
type Term = 'rec' | 'sem' | 'both' | 'recRaw';
const TERMS: Term[] = ['rec', 'sem', 'both', 'recRaw'];
const TERM_LABELS: Record<Term, string> = { rec: 'S_rec', sem: 'S_sem', both: 'S', recRaw: 'raw S_rec' };

interface CachedFiles {
  layerChannels: number[];
  grid: number;
  /** Per class: training rows of its fit split, and its test images, in files of the cache. */
  fit: TokenRowFileInfo;
  /** Per-channel normalisation of the fit rows (as the training job computes it). */
  fitNormalisation: { mean: number[]; std: number[] };
  fitClass: number[];
  tests: Record<string, TokenRowFileInfo>;
  /** Per class with tests: its held-out good images (what its position statistics come from, as in the product). */
  heldOut: Record<string, TokenRowFileInfo>;
  /** Where each test image lay in the network input (letterbox bars are cut off its map). */
  testFrames: Record<string, InputFrame[]>;
  viewsKey?: string;
  views?: { file: TokenRowFileInfo; classIndex: number[]; cleanRow: number[]; labels: number[] };
}

/** Token maps of every fit and test image and the painted defect views, extracted once per dataset and cached as float16. */
async function cachedFeatures(
  classes: DatasetClass[],
  fitFiles: string[][],
  heldOutFiles: string[][],
  dataDir: string,
  seed: number,
  fit: InputFit,
): Promise<CachedFiles> {
  const key = createHash('sha256')
    .update(JSON.stringify({ format: 4, fit, dataDir, fitFiles, heldOutFiles, tests: classes.map((c) => c.test.map((t) => t.file)) }))
    .digest('hex')
    .slice(0, 16);
  const dir = path.join(os.tmpdir(), 'qa-curve-features', key);
  const index = path.join(dir, 'index.json');
  const known = existsSync(index) ? (JSON.parse(readFileSync(index, 'utf8')) as CachedFiles) : undefined;
  // The views depend on the painting code: a changed painter makes new ones.
  const viewsKey = createHash('sha256')
    .update(readFileSync(path.resolve('src/main/engine/pseudoDefects/imageDefects.ts')))
    .update(String(seed))
    .digest('hex')
    .slice(0, 12);
  if (known && known.viewsKey === viewsKey) return known;
  mkdirSync(dir, { recursive: true });
  const extractor = await createFeatureExtractor({
    backbone: 'mobilenetv2',
    runtime: 'onnx',
    cacheDir: stationPaths(path.join(dir, 'home')).backboneCacheDir,
  });
  const grid = LTAD_PRESETS.fast.grid;
  const source = new TokenFeatureSource(extractor, grid, { fit });
  try {
    let cached: CachedFiles;
    if (known) cached = known;
    else {
      let layerChannels: number[] = [];
      const write = async (name: string, files: string[]) => {
        let writer: TokenRowFileWriter | undefined;
        await source.stream(files, (maps) => {
          layerChannels = maps.layerChannels;
          writer ??= new TokenRowFileWriter(
            path.join(dir, `${name}.f16`),
            grid * grid,
            maps.layerChannels.reduce((a, b) => a + b, 0),
          );
          writer.append(maps.data);
        });
        if (!writer) throw new Error(`No images for ${name}`);
        return writer.finish();
      };
      console.error(`extracting token maps once into ${dir}...`);
      const fitRows = await write('fit', fitFiles.flat());
      const tests: Record<string, TokenRowFileInfo> = {};
      const testFrames: Record<string, InputFrame[]> = {};
      const heldOut: Record<string, TokenRowFileInfo> = {};
      for (const [k, c] of classes.entries()) {
        const files = heldOutFiles[k] as string[];
        if (c.test.length > 0 && files.length > 0) heldOut[c.name] = (await write(`held-out-${c.name}`, files)).info;
      }
      for (const c of classes.filter((k) => k.test.length > 0)) {
        tests[c.name] = (
          await write(
            `test-${c.name}`,
            c.test.map((t) => t.file),
          )
        ).info;
        testFrames[c.name] = c.test.map((t) => source.frameOf(t.file));
      }
      const fitNormalisation = { mean: [...fitRows.normalisation.mean], std: [...fitRows.normalisation.std] };
      cached = {
        layerChannels,
        grid,
        fit: fitRows.info,
        fitNormalisation,
        fitClass: fitFiles.flatMap((files, c) => files.map(() => c)),
        tests,
        heldOut,
        testFrames,
      };
    }
    console.error('painting defect views...');
    const ranges = fitFiles.map((files, c) => ({ first: fitFiles.slice(0, c).reduce((n, f) => n + f.length, 0), count: files.length }));
    const views = await storeDefectViews(source, fitFiles, ranges, dir, seed + 101, () => {});
    cached = {
      ...cached,
      viewsKey,
      views: { file: views.file, classIndex: [...views.classIndex], cleanRow: [...views.cleanRow], labels: [...views.labels] },
    };
    writeFileSync(index, JSON.stringify(cached));
    return cached;
  } finally {
    await extractor.dispose();
  }
}

interface TestSet {
  name: string;
  classIndex: number;
  nTrain: number;
  file: TokenRowFile;
  labels: boolean[];
  masks: (Uint8Array | null)[];
  frames: InputFrame[];
  /** Fit rows of the class, for its position statistics where too few images are held out. */
  statsRows: number[];
  heldOut: TokenRowFile | undefined;
}

/** image: AUROC of the model's image score (the largest window mean); imagePeak: of the map's maximum. */
type ClassPoint = Record<Term, { image: number; imagePeak: number; pixel: number | null }>;
interface Checkpoint {
  step: number;
  seconds: number;
  perClass: Record<string, ClassPoint>;
  avg: Record<Term, { image: number; imagePeak: number; pixel: number }>;
}

function termScores(terms: TokenScoreTerms, stats: PositionStats, term: Term): Float32Array {
  if (term === 'recRaw') return terms.rec;
  if (term === 'both') return normalisedScores(terms, stats, 1);
  if (term === 'rec') return normalisedScores(terms, stats, 0);
  return normalisedScores({ rec: terms.sem, sem: terms.sem }, { ...stats, recMean: stats.semMean, recStd: stats.semStd }, 0);
}

function evaluate(
  net: LtadNetwork,
  rows: TrainingRows,
  tests: TestSet[],
  norm: FeatureNormalisation,
): Pick<Checkpoint, 'perClass' | 'avg'> {
  const prompts = net.promptEmbeddings();
  const perClass: Record<string, ClassPoint> = {};
  try {
    for (const t of tests) {
      // The product's statistics (productPositionStats.ts): held-out images, else training images.
      const heldOutTerms = Array.from({ length: t.heldOut?.info.count ?? 0 }, (_, i) =>
        scoreTerms(
          net,
          prompts,
          standardise((t.heldOut as TokenRowFile).read([i]), norm),
          1,
          t.classIndex,
          undefined,
          TRAINED_SEMANTIC_SCALE,
        ),
      );
      const trainingTerms = () =>
        t.statsRows.map((r) => scoreTerms(net, prompts, rows.read([r]), 1, t.classIndex, [r], TRAINED_SEMANTIC_SCALE));
      const { stats } = productPositionStats(heldOutTerms, trainingTerms, net.tokens);
      const scores = Object.fromEntries(TERMS.map((k) => [k, [] as number[]])) as Record<Term, number[]>;
      const peaks = Object.fromEntries(TERMS.map((k) => [k, [] as number[]])) as Record<Term, number[]>;
      const pixels = Object.fromEntries(TERMS.map((k) => [k, new PixelAurocAccumulator()])) as Record<Term, PixelAurocAccumulator>;
      for (let i = 0; i < t.labels.length; i++) {
        const terms = scoreTerms(net, prompts, standardise(t.file.read([i]), norm), 1, t.classIndex, undefined, TRAINED_SEMANTIC_SCALE);
        for (const k of TERMS) {
          const { map, imageScore } = tokenScoresToMap(termScores(terms, stats, k), net.config.grid, MAP, t.frames[i]);
          scores[k].push(imageScore);
          peaks[k].push(map.data.reduce((m, v) => Math.max(m, v), -Infinity));
          const mask = t.masks[i];
          if (!t.labels[i] || mask) pixels[k].add(map.data, mask ?? null);
        }
      }
      perClass[t.name] = Object.fromEntries(
        TERMS.map((k) => [k, { image: auroc(scores[k], t.labels), imagePeak: auroc(peaks[k], t.labels), pixel: pixels[k].result() }]),
      ) as ClassPoint;
    }
  } finally {
    prompts.dispose();
  }
  const mean = (values: (number | null)[]) => {
    const known = values.filter((v): v is number => v !== null);
    return known.reduce((a, b) => a + b, 0) / Math.max(known.length, 1);
  };
  const avg = Object.fromEntries(
    TERMS.map((k) => [
      k,
      {
        image: mean(Object.values(perClass).map((p) => p[k].image)),
        imagePeak: mean(Object.values(perClass).map((p) => p[k].imagePeak)),
        pixel: mean(Object.values(perClass).map((p) => p[k].pixel)),
      },
    ]),
  ) as Checkpoint['avg'];
  return { perClass, avg };
}

/** Image and pixel AUROC of the three terms against training step, as a PNG (SVG drawn by sharp). */
async function drawCurves(checkpoints: Checkpoint[], title: string, file: string): Promise<void> {
  const [w, h, pad] = [900, 420, 50];
  const maxStep = Math.max(1, ...checkpoints.map((c) => c.step));
  const x = (step: number) => pad + ((w - 2 * pad) * step) / maxStep;
  const y = (v: number) => h - pad - (h - 2 * pad) * Math.max(0, Math.min(1, (v - 0.4) / 0.6));
  const colours: Record<Term, string> = { rec: '#1f77b4', sem: '#ff7f0e', both: '#2ca02c', recRaw: '#9467bd' };
  const lines = TERMS.flatMap((k) =>
    (['image', 'pixel'] as const).map((m) => {
      const points = checkpoints.map((c) => `${x(c.step).toFixed(1)},${y(c.avg[k][m]).toFixed(1)}`).join(' ');
      return `<polyline fill="none" stroke="${colours[k]}" stroke-width="2" ${m === 'pixel' ? 'stroke-dasharray="6 4"' : ''} points="${points}"/>`;
    }),
  );
  const grid = [0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1].map(
    (v) =>
      `<line x1="${pad}" x2="${w - pad}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/><text x="8" y="${y(v) + 4}" font-size="12">${v.toFixed(1)}</text>`,
  );
  const legend = [
    ...TERMS.map((k, i) => `<text x="${pad + 10 + i * 90}" y="${pad - 12}" font-size="13" fill="${colours[k]}">${TERM_LABELS[k]}</text>`),
    `<text x="${pad + 380}" y="${pad - 12}" font-size="13">solid: image AUROC, dashed: pixel AUROC</text>`,
  ];
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><rect width="100%" height="100%" fill="white"/>${grid.join('')}${lines.join('')}${legend.join('')}<text x="${pad}" y="18" font-size="14">${title.replace(/[<&>]/g, '')}</text><text x="${w / 2 - 60}" y="${h - 12}" font-size="12">phase-2 step (max ${maxStep})</text></svg>`;
  await sharp(Buffer.from(svg)).png().toFile(file);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      preset: { type: 'string', default: 'fast' },
      set: { type: 'string', default: '{}' },
      every: { type: 'string', default: '40' },
      data: { type: 'string', default: REAL_DATA_DIR },
      out: { type: 'string', default: path.join(os.tmpdir(), 'qa-curves') },
      threads: { type: 'string', default: String(os.availableParallelism()) },
      'steps-on': { type: 'string', default: 'onnx' },
      seed: { type: 'string', default: '0' },
    },
  });
  const dataDir = values.data as string;
  if (!existsSync(dataDir)) {
    console.error(`bench:curve: no dataset at ${dataDir}: nothing measured`);
    return;
  }
  const tfjs = await initTfjs();
  const seed = Number(values.seed);
  const preset = values.preset as LtadPreset;
  const overrides = JSON.parse(values.set as string) as Partial<LtadConfig>;
  const every = Math.max(1, Number(values.every));
  const classes = scanMvtecDataset(dataDir);
  // The training job's split and seeds, per product (ltadTrainingJob.ts).
  const splits = classes.map((c) => productHoldOut(c.name, c.trainGood, HELD_OUT_FRACTION, seed));
  const fitFiles = splits.map((s) => s.fit);
  const fit = inputFitOf({ ...LTAD_PRESETS[preset], ...overrides });
  const cached = await cachedFeatures(
    classes,
    fitFiles,
    splits.map((s) => s.heldOut),
    dataDir,
    seed,
    fit,
  );
  const norm: FeatureNormalisation = {
    mean: Float32Array.from(cached.fitNormalisation.mean),
    std: Float32Array.from(cached.fitNormalisation.std),
  };
  const config: LtadConfig = { ...LTAD_PRESETS[preset], ...overrides, seed, layerChannels: cached.layerChannels };
  const views =
    cached.views && config.defectViewProbability > 0
      ? {
          file: cached.views.file,
          classIndex: Int32Array.from(cached.views.classIndex),
          cleanRow: Int32Array.from(cached.views.cleanRow),
          labels: Float32Array.from(cached.views.labels),
        }
      : undefined;
  const rowsSource: TrainingRowsSource = {
    kind: 'file',
    file: cached.fit,
    classIndex: Int32Array.from(cached.fitClass),
    mean: norm.mean,
    std: norm.std,
    ...(views ? { views } : {}),
  };
  const rows = openTrainingRows(rowsSource);
  const tests: TestSet[] = [];
  for (const [c, data] of classes.entries()) {
    const info = cached.tests[data.name];
    if (!info) continue;
    const own = cached.fitClass.flatMap((k, r) => (k === c ? [r] : []));
    tests.push({
      name: data.name,
      classIndex: c,
      nTrain: own.length,
      file: new TokenRowFile(info),
      labels: data.test.map((t) => t.defectType !== 'good'),
      masks: await Promise.all(data.test.map((t) => (t.maskFile ? loadBinaryMask(t.maskFile, MAP.size, MAP.size) : Promise.resolve(null)))),
      frames: cached.testFrames[data.name] as InputFrame[],
      statsRows: own
        .filter((_, i) => i % Math.max(1, Math.floor(own.length / POSITION_STATS_IMAGES)) === 0)
        .slice(0, POSITION_STATS_IMAGES),
      heldOut: cached.heldOut[data.name] ? new TokenRowFile(cached.heldOut[data.name] as TokenRowFileInfo) : undefined,
    });
  }
  const net = new LtadNetwork(config, classes.length, resolveFoundationPack(FOUNDATION, config.textTower).createTextTower());
  const threads = Math.max(1, Number(values.threads));
  if (values['steps-on'] !== 'onnx' && values['steps-on'] !== 'tfjs')
    throw new Error(`--steps-on takes onnx or tfjs, not "${values['steps-on']}"`);
  const compiler = values['steps-on'] === 'onnx' ? await onnxStepCompiler(threads) : undefined;
  const workers =
    threads > 1 && !(compiler && phase2Compilable(config))
      ? await startStepWorkers(threads - 1, {
          config,
          classCount: classes.length,
          foundation: FOUNDATION,
          rows: rowsSource,
          kernelMode: kernelMode(),
          lowPriority: false,
        })
      : undefined;
  const checkpoints: Checkpoint[] = [];
  const started = performance.now();
  const checkpoint = (step: number) => {
    const point = { step, seconds: (performance.now() - started) / 1000, ...evaluate(net, rows, tests, norm) };
    checkpoints.push(point);
    const a = point.avg;
    console.error(
      `step ${String(step).padStart(5)}: S_rec ${a.rec.image.toFixed(3)}/${a.rec.pixel.toFixed(3)}  S_sem ${a.sem.image.toFixed(3)}/${a.sem.pixel.toFixed(3)}  S ${a.both.image.toFixed(3)}/${a.both.pixel.toFixed(3)}  raw S_rec ${a.recRaw.image.toFixed(3)}/${a.recRaw.pixel.toFixed(3)} (peak ${a.both.imagePeak.toFixed(3)}, S_rec peak ${a.rec.imagePeak.toFixed(3)})  (${Object.entries(
        point.perClass,
      )
        .map(([n, p]) => `${n} ${p.both.image.toFixed(3)}`)
        .join(', ')})`,
    );
  };
  try {
    await trainLtad(
      net,
      rows,
      {
        onPhaseStart: (phase) => {
          if (phase === 'phase2') checkpoint(0);
        },
        onProgress: (e) => {
          if (e.phase === 'phase2' && (e.step % every === 0 || e.step === e.steps)) checkpoint(e.step);
        },
      },
      {
        productSeeds: productMemorySeeds(
          config.seed,
          classes.map((c) => c.name),
        ),
        ...(workers ? { workers } : {}),
        ...(compiler ? { compiler } : {}),
      },
    );
  } finally {
    await workers?.close();
  }
  mkdirSync(values.out as string, { recursive: true });
  const name = `curve-${path.basename(dataDir)}-${preset}-${createHash('sha256')
    .update(values.set as string)
    .digest('hex')
    .slice(0, 8)}`;
  const title = `LTAD ${preset} ${values.set} on ${path.basename(dataDir)}: avg over ${tests.length} test classes`;
  const record = {
    benchmark: 'curve',
    date: new Date().toISOString(),
    preset,
    overrides,
    data: dataDir,
    backend: tfjs.detail,
    cores: os.availableParallelism(),
    threads,
    checkpoints,
  };
  writeFileSync(path.join(values.out as string, `${name}.json`), JSON.stringify(record, null, 1));
  await drawCurves(checkpoints, title, path.join(values.out as string, `${name}.png`));
  console.log(`\nbench:curve — ${title}; ${tfjs.detail}, ${threads} threads, ${os.availableParallelism()} cores\n`);
  console.log(`| step | s | ${TERMS.map((k) => `${TERM_LABELS[k]} image | ${TERM_LABELS[k]} pixel`).join(' | ')} |`);
  console.log(`|---|---|${TERMS.map(() => '---|---').join('|')}|`);
  for (const c of checkpoints)
    console.log(
      `| ${c.step} | ${c.seconds.toFixed(0)} | ${TERMS.map((k) => `${c.avg[k].image.toFixed(3)} | ${c.avg[k].pixel.toFixed(3)}`).join(' | ')} |`,
    );
  console.log(`\ncurves: ${path.join(values.out as string, `${name}.png`)}`);
  console.log(JSON.stringify(record));
  tf.disposeVariables();
}

main().catch((error) => {
  console.error(`bench:curve failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exitCode = 1;
});
