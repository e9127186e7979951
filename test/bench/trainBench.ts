/**
 * npm run bench:train — the training engine's yardstick: ms per step and samples per second of
 * both LTAD presets, phase 1 and phase 2 timed separately, on real token maps. Four paths in the
 * same run: the baseline (reference kernels on one thread: the code path before this work), tfjs's
 * fast kernels on one thread and on every core (data-parallel workers), and the station's path,
 * compiled step graphs on onnxruntime over every core (samplesPerSecond). Then the
 * peak resident memory of whole training runs on 500 and 2,500 images (each in a process of its
 * own), as MB per 1,000 images. Prints a table, the top kernels of a profiled fast step,
 * tf.memory() around every timed run, and with --json one JSON array (one record per preset and
 * phase) on the last line of stdout.
 *
 *   npm run bench:train -- [--presets fast,standard] [--recipe transformer|memory] [--steps 6] [--warmup 2] [--per-class 12]
 *                           [--threads N] [--memory 500,2500|off] [--data DIR] [--json]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createFeatureExtractor } from '../../src/main/engineAdapters/createFeatureExtractor';
import { computeNormalisation, standardise } from '../../src/main/engine/features/featureNormalisation';
import { LTAD_PRESETS, type LtadConfig, type LtadPreset } from '../../src/main/engine/ltad/ltadConfig';
import { LtadNetwork } from '../../src/main/engine/ltad/ltadNetwork';
import { trainLtad, type TrainingOptions, type TrainingPhase } from '../../src/main/engine/ltad/ltadTrainer';
import type { StepCompiler } from '../../src/main/engine/ltad/compiledSteps';
import { phase2Compilable } from '../../src/main/engine/ltad/phase2TrainingGraph';
import { onnxStepCompiler } from '../../src/main/engineAdapters/onnxStepCompiler';
import type { StepWorkers } from '../../src/main/engine/ltad/stepWorkers';
import { memoryRowsSource, type TrainingRowsSource } from '../../src/main/engine/ltad/trainingRows';
import { openTrainingRows } from '../../src/main/engineAdapters/openTrainingRows';
import { createBuiltinTextTower } from '../../src/main/engine/ltad/textTower';
import { setKernelMode, type KernelMode } from '../../src/main/engine/tensorKernels/kernelMode';
import { initTfjs, tf } from '../../src/main/engine/tfjsRuntime';
import { scanMvtecDataset } from '../../src/main/ingest/datasetLayout';
import { startStepWorkers } from '../../src/main/services/training/ltadStepWorkerPool';
import { TokenFeatureSource } from '../../src/main/services/inspection/tokenFeatureSource';
import { generateSyntheticDataset } from '../../src/main/synthetic/syntheticDataset';
import { hasRealData, REAL_DATA_DIR } from '../helpers/realData';

interface Timing {
  msPerStep: number;
  tensorsBefore: number;
  tensorsAfter: number;
  bytesBefore: number;
  bytesAfter: number;
}

interface TrainBenchRecord {
  preset: LtadPreset;
  phase: TrainingPhase;
  /** The reconstruction module timed (ltadConfig.ts). */
  reconstruction: string;
  samplesPerSecond: number;
  baselineSamplesPerSecond: number;
  speedup: number;
  /** Fast kernels on one thread: what the kernels alone give. */
  singleThreadSamplesPerSecond: number;
  /** tfjs's fast kernels on every core (data-parallel workers). */
  tfjsParallelSamplesPerSecond: number;
  msPerStep: number;
  baselineMsPerStep: number;
  batchSize: number;
  width: number;
  layers: number;
  workers: number;
  backend: string;
  cores: number;
  /** Growth of peak RSS per 1,000 training images between the two memory runs; null with --memory off. */
  residentMbPer1000Images: number | null;
  tensorsBefore: number;
  tensorsAfter: number;
  topKernels: { name: string; ms: number; calls: number }[];
  data: string;
}

async function loadTrainingSet(
  dataDir: string,
  perClass: number,
  cacheDir: string,
): Promise<{ set: TrainingRowsSource & { kind: 'memory' }; layerChannels: number[]; classes: number }> {
  const extractor = await createFeatureExtractor({ backbone: 'mobilenetv2', runtime: 'onnx', cacheDir });
  try {
    const classes = scanMvtecDataset(dataDir);
    const files = classes.map((c) => c.trainGood.slice(0, perClass));
    const maps = await new TokenFeatureSource(extractor, 14, { fit: 'letterbox' }).tokensOf(files.flat());
    const dim = maps.layerChannels.reduce((a, b) => a + b, 0);
    const normalisation = computeNormalisation(maps.data, maps.count * 196, dim);
    const classIndex = Int32Array.from(files.flatMap((f, c) => f.map(() => c)));
    const set = memoryRowsSource(standardise(maps.data, normalisation), classIndex, 196, dim);
    return { set, layerChannels: maps.layerChannels, classes: classes.length };
  } finally {
    await extractor.dispose();
  }
}

/**
 * The reconstruction recipe timed: UniAD's transformer by default, the model the speed targets were
 * set on (with the default frozen memory, phase 2 trains the semantic branch alone).
 */
let recipe: NonNullable<LtadConfig['reconstruction']> = 'transformer';

function phaseConfig(preset: LtadPreset, layerChannels: number[], phase: TrainingPhase, steps: number): LtadConfig {
  const base = { ...LTAD_PRESETS[preset], reconstruction: recipe };
  // Enough epochs that the step budget, not the data, decides the run's length.
  return {
    ...base,
    layerChannels,
    phase1Epochs: 1000,
    phase2Epochs: 1000,
    phase1MaxSteps: phase === 'phase1' ? steps : 0,
    phase2MaxSteps: phase === 'phase2' ? steps : 0,
  };
}

/** Runs warmup + steps of one phase and returns the mean ms of the steps after the warmup. */
async function timePhase(
  config: LtadConfig,
  classes: number,
  set: TrainingRowsSource,
  phase: TrainingPhase,
  warmup: number,
  options: TrainingOptions = {},
): Promise<Timing> {
  const before = tf.memory();
  const net = new LtadNetwork(config, classes, createBuiltinTextTower(config.textTower));
  const stamps: number[] = [];
  const rows = openTrainingRows(set);
  await trainLtad(net, rows, { onProgress: (e) => e.phase === phase && stamps.push(performance.now()) }, options);
  rows.close();
  net.text.dispose();
  net.dispose();
  const after = tf.memory();
  const timed = stamps.slice(warmup);
  const msPerStep = ((timed[timed.length - 1] as number) - (timed[0] as number)) / Math.max(1, timed.length - 1);
  return {
    msPerStep,
    tensorsBefore: before.numTensors,
    tensorsAfter: after.numTensors,
    bytesBefore: before.numBytes,
    bytesAfter: after.numBytes,
  };
}

async function topKernels(config: LtadConfig, classes: number, set: TrainingRowsSource): Promise<TrainBenchRecord['topKernels']> {
  const net = new LtadNetwork(config, classes, createBuiltinTextTower(config.textTower));
  const rows = openTrainingRows(set);
  const profile = await tf.profile(async () => {
    await trainLtad(net, rows);
  });
  rows.close();
  net.text.dispose();
  net.dispose();
  const byName = new Map<string, { ms: number; calls: number }>();
  for (const k of profile.kernels) {
    const entry = byName.get(k.name) ?? { ms: 0, calls: 0 };
    entry.ms += Number(k.kernelTimeMs) || 0;
    entry.calls++;
    byName.set(k.name, entry);
  }
  return [...byName.entries()]
    .map(([name, e]) => ({ name, ms: Math.round(e.ms), calls: e.calls }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 8);
}

interface MemoryRun {
  images: number;
  rssBeforeMb: number;
  peakRssMb: number;
  seconds: number;
}

/** A whole training job on `images` images in a fresh process (trainMemoryProbe.ts), for its peak RSS. */
function memoryRun(images: number, dataDir: string, cacheDir: string): MemoryRun {
  const probe = path.join(__dirname, 'trainMemoryProbe.ts');
  const tsx = path.join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx');
  const out = execFileSync(tsx, [probe, '--images', String(images), '--data', dataDir, '--cache', cacheDir], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').pop() as string) as MemoryRun;
}

/** Peak RSS of two whole training runs and the growth per 1,000 images between them. */
function measureMemory(
  sizes: number[],
  dataDir: string,
  synthetic: boolean,
  cacheDir: string,
): { mbPer1000: number | null; summary: string } {
  if (sizes.length === 0) return { mbPer1000: null, summary: 'not measured (--memory off)' };
  if (synthetic) return { mbPer1000: null, summary: 'not measured: it needs real data (or --data) with enough training images' };
  const runs = sizes.map((images) => {
    console.error(`memory: a training run on ${images} images in a process of its own...`);
    return memoryRun(images, dataDir, cacheDir);
  });
  const [small, large] = runs as [MemoryRun, MemoryRun];
  const mbPer1000 = ((large.peakRssMb - small.peakRssMb) / (large.images - small.images)) * 1000;
  const each = runs
    .map(
      (r) =>
        `${r.images} images: peak RSS ${r.peakRssMb.toFixed(0)} MB (${r.rssBeforeMb.toFixed(0)} MB before the job, ${r.seconds.toFixed(0)} s)`,
    )
    .join('; ');
  return { mbPer1000, summary: `${each}; growth ${mbPer1000.toFixed(0)} MB per 1,000 training images` };
}

function wholeNumber(option: string, text: string, min: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw new Error(`${option} must be a whole number, at least ${min}, not "${text}"`);
  return value;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      presets: { type: 'string', default: 'fast,standard' },
      recipe: { type: 'string', default: 'transformer' },
      steps: { type: 'string', default: '6' },
      warmup: { type: 'string', default: '2' },
      'per-class': { type: 'string', default: '12' },
      threads: { type: 'string', default: String(os.availableParallelism()) },
      memory: { type: 'string', default: '500,2500' },
      data: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const warmup = wholeNumber('--warmup', values.warmup as string, 0);
  const steps = warmup + wholeNumber('--steps', values.steps as string, 2); // a step time needs two timestamps
  const perClass = wholeNumber('--per-class', values['per-class'] as string, 1);
  const threads = wholeNumber('--threads', values.threads as string, 1);
  const memorySizes = values.memory === 'off' ? [] : (values.memory as string).split(',').map((v) => wholeNumber('--memory', v, 1));
  if (memorySizes.length !== 0 && memorySizes.length !== 2) throw new Error('--memory takes two image counts (e.g. 500,2500) or "off"');
  if (values.recipe !== 'transformer' && values.recipe !== 'memory')
    throw new Error(`Unknown --recipe "${values.recipe}" (transformer or memory)`);
  recipe = values.recipe;
  const presets = (values.presets as string).split(',') as LtadPreset[];
  const unknown = presets.filter((p) => !(p in LTAD_PRESETS));
  if (unknown.length > 0) throw new Error(`Unknown preset "${unknown.join(', ')}" (fast or standard)`);
  const tfjs = await initTfjs();
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'qa-bench-train-'));
  try {
    let dataDir = values.data ?? (hasRealData ? REAL_DATA_DIR : undefined);
    let dataLabel = dataDir ? `${dataDir} (train/good)` : '';
    if (!dataDir) {
      dataDir = path.join(scratch, 'synthetic');
      await generateSyntheticDataset({ outDir: dataDir, classes: 4, seed: 0, nMax: 16, testGood: 0, testDefectsPerType: 0 });
      dataLabel = 'synthetic (4 classes; real data not found)';
      console.error(`real data not found at ${REAL_DATA_DIR}: timing on synthetic images`);
    }
    const { set, layerChannels, classes } = await loadTrainingSet(dataDir, perClass, path.join(scratch, 'cache'));
    dataLabel += `, ${set.count} images over ${classes} classes, mobilenetv2 taps on a 14x14 grid`;
    const memory = measureMemory(memorySizes, dataDir, dataLabel.startsWith('synthetic'), path.join(scratch, 'cache'));
    const records: TrainBenchRecord[] = [];
    const compiler = await onnxStepCompiler(threads);
    for (const preset of presets) {
      const helpers =
        threads > 1
          ? await startStepWorkers(threads - 1, {
              config: phaseConfig(preset, layerChannels, 'phase2', steps),
              classCount: classes,
              foundation: { kind: 'builtin', backbone: 'mobilenetv2' },
              rows: set,
              kernelMode: 'fused',
              lowPriority: false,
            })
          : undefined;
      try {
        for (const phase of ['phase1', 'phase2'] as const) {
          const config = phaseConfig(preset, layerChannels, phase, steps);
          const run = async (mode: KernelMode, workers?: StepWorkers, compiler?: StepCompiler) => {
            setKernelMode(mode);
            const on = compiler ? compiler.detail : `${workers ? workers.size + 1 : 1} tfjs thread(s)`;
            console.error(`${preset} ${phase}: ${mode} kernels, ${on}, ${steps} steps...`);
            return timePhase(config, classes, set, phase, warmup, { ...(workers ? { workers } : {}), ...(compiler ? { compiler } : {}) });
          };
          const baseline = await run('reference');
          const single = await run('fused');
          const tfjsParallel = helpers ? await run('fused', helpers) : single;
          // The phases train on compiled graphs where they have them (what the station does).
          const compiled = phase === 'phase1' || phase2Compilable(config) ? await run('fused', undefined, compiler) : undefined;
          const parallel = compiled ?? tfjsParallel;
          setKernelMode('fused');
          const kernels = await topKernels(phaseConfig(preset, layerChannels, phase, 2), classes, set);
          records.push({
            preset,
            phase,
            reconstruction: recipe,
            samplesPerSecond: (config.batchSize * 1000) / parallel.msPerStep,
            baselineSamplesPerSecond: (config.batchSize * 1000) / baseline.msPerStep,
            speedup: baseline.msPerStep / parallel.msPerStep,
            singleThreadSamplesPerSecond: (config.batchSize * 1000) / single.msPerStep,
            tfjsParallelSamplesPerSecond: (config.batchSize * 1000) / tfjsParallel.msPerStep,
            msPerStep: parallel.msPerStep,
            baselineMsPerStep: baseline.msPerStep,
            batchSize: config.batchSize,
            width: phase === 'phase1' ? config.vaeWidth : config.width,
            layers: phase === 'phase1' ? 2 : config.encoderLayers + config.decoderLayers,
            workers: threads,
            // What samplesPerSecond ran on: the compiled graphs (their inputs prepared on tfjs), or tfjs.
            backend: compiled ? `${compiler.detail}; inputs on ${tfjs.detail}` : `${tfjs.detail}, ${threads} thread(s)`,
            cores: os.availableParallelism(),
            residentMbPer1000Images: memory.mbPer1000,
            tensorsBefore: parallel.tensorsBefore,
            tensorsAfter: parallel.tensorsAfter,
            topKernels: kernels,
            data: dataLabel,
          });
        }
      } finally {
        await helpers?.close();
      }
    }
    const n = (v: number, d = 1) => v.toFixed(d);
    console.log(`\nbench:train — ${tfjs.detail}, ${os.availableParallelism()} cores (${os.cpus()[0]?.model}); data: ${dataLabel}\n`);
    console.log(
      '| preset | phase | batch | width | layers | threads | samples/s | backend | tfjs 1-thread samples/s | tfjs all-thread samples/s | baseline samples/s | speedup | ms/step | baseline ms/step | tensors before/after |',
    );
    console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
    for (const r of records) {
      console.log(
        `| ${r.preset} | ${r.phase} | ${r.batchSize} | ${r.width} | ${r.layers} | ${r.workers} | ${n(r.samplesPerSecond)} | ${r.backend} | ${n(r.singleThreadSamplesPerSecond)} | ${n(r.tfjsParallelSamplesPerSecond)} | ${n(r.baselineSamplesPerSecond)} | ${n(r.speedup, 2)}x | ${n(r.msPerStep, 0)} | ${n(r.baselineMsPerStep, 0)} | ${r.tensorsBefore}/${r.tensorsAfter} |`,
      );
    }
    console.log(`\nmemory: ${memory.summary}`);
    for (const r of records)
      console.log(
        `\ntop tfjs kernels, ${r.preset} ${r.phase} (2 steps of the tfjs path profiled, fast kernels): ${r.topKernels.map((k) => `${k.name} ${k.ms} ms/${k.calls}`).join(', ')}`,
      );
    if (values.json) console.log(`\n${JSON.stringify(records)}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`bench:train failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
