/**
 * npm run bench:train — the training engine's yardstick: ms per step and samples per second of
 * both LTAD presets, phase 1 and phase 2 timed separately, on real token maps, with the reference
 * kernels (the code path before the fast kernels) timed beside the fast ones in the same run.
 * Prints a table, the top kernels of a profiled fast step, tf.memory() around every timed run, and
 * with --json one JSON array (one record per preset and phase) on the last line of stdout.
 *
 *   npm run bench:train -- [--presets fast,standard] [--steps 6] [--warmup 2] [--per-class 12]
 *                           [--data DIR] [--json]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createFeatureExtractor } from '../../src/main/engine/backbone/createFeatureExtractor';
import { computeNormalisation, standardise } from '../../src/main/engine/features/featureNormalisation';
import { LTAD_PRESETS, type LtadConfig, type LtadPreset } from '../../src/main/engine/ltad/ltadConfig';
import { LtadNetwork } from '../../src/main/engine/ltad/ltadNetwork';
import { trainLtad, type LtadTrainingSet, type TrainingPhase } from '../../src/main/engine/ltad/ltadTrainer';
import { createBuiltinTextTower } from '../../src/main/engine/ltad/textTower';
import { setKernelMode, type KernelMode } from '../../src/main/engine/tensorKernels/kernelMode';
import { initTfjs, tf } from '../../src/main/engine/tfjsRuntime';
import { scanMvtecDataset } from '../../src/main/ingest/datasetLayout';
import { TokenFeatureSource } from '../../src/main/services/tokenFeatureSource';
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
  samplesPerSecond: number;
  baselineSamplesPerSecond: number;
  speedup: number;
  msPerStep: number;
  baselineMsPerStep: number;
  batchSize: number;
  width: number;
  layers: number;
  workers: number;
  backend: string;
  cores: number;
  residentMbPer1000Images: number;
  tensorsBefore: number;
  tensorsAfter: number;
  topKernels: { name: string; ms: number; calls: number }[];
  data: string;
}

async function loadTrainingSet(dataDir: string, perClass: number, cacheDir: string): Promise<{ set: LtadTrainingSet; layerChannels: number[]; classes: number }> {
  const extractor = await createFeatureExtractor({ backbone: 'mobilenetv2', runtime: 'onnx', cacheDir });
  try {
    const classes = scanMvtecDataset(dataDir);
    const files = classes.map((c) => c.trainGood.slice(0, perClass));
    const maps = await new TokenFeatureSource(extractor, 14).tokensOf(files.flat());
    const dim = maps.layerChannels.reduce((a, b) => a + b, 0);
    const normalisation = computeNormalisation(maps.data, maps.count * 196, dim);
    const classIndex = Int32Array.from(files.flatMap((f, c) => f.map(() => c)));
    return { set: { tokens: standardise(maps.data, normalisation), count: maps.count, classIndex }, layerChannels: maps.layerChannels, classes: classes.length };
  } finally {
    await extractor.dispose();
  }
}

function phaseConfig(preset: LtadPreset, layerChannels: number[], phase: TrainingPhase, steps: number): LtadConfig {
  const base = LTAD_PRESETS[preset];
  // Enough epochs that the step budget, not the data, decides the run's length.
  return { ...base, layerChannels, phase1Epochs: 1000, phase2Epochs: 1000, phase1MaxSteps: phase === 'phase1' ? steps : 0, phase2MaxSteps: phase === 'phase2' ? steps : 0 };
}

/** Runs warmup + steps of one phase and returns the mean ms of the steps after the warmup. */
async function timePhase(config: LtadConfig, classes: number, set: LtadTrainingSet, phase: TrainingPhase, warmup: number): Promise<Timing> {
  const before = tf.memory();
  const net = new LtadNetwork(config, classes, createBuiltinTextTower(config.textTower));
  const stamps: number[] = [];
  await trainLtad(net, set, { onProgress: (e) => e.phase === phase && stamps.push(performance.now()) });
  net.text.dispose();
  net.dispose();
  const after = tf.memory();
  const timed = stamps.slice(warmup);
  const msPerStep = ((timed[timed.length - 1] as number) - (timed[0] as number)) / Math.max(1, timed.length - 1);
  return { msPerStep, tensorsBefore: before.numTensors, tensorsAfter: after.numTensors, bytesBefore: before.numBytes, bytesAfter: after.numBytes };
}

async function topKernels(config: LtadConfig, classes: number, set: LtadTrainingSet): Promise<TrainBenchRecord['topKernels']> {
  const net = new LtadNetwork(config, classes, createBuiltinTextTower(config.textTower));
  const profile = await tf.profile(async () => {
    await trainLtad(net, set);
  });
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

/** Bytes of the in-memory training set per image, as MB per 1,000 images (not a process RSS peak). */
function residentMbPer1000(set: LtadTrainingSet): number {
  return (set.tokens.byteLength / set.count) * 1000 / 1e6;
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
      steps: { type: 'string', default: '6' },
      warmup: { type: 'string', default: '2' },
      'per-class': { type: 'string', default: '12' },
      data: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const warmup = wholeNumber('--warmup', values.warmup as string, 0);
  const steps = warmup + wholeNumber('--steps', values.steps as string, 2); // a step time needs two timestamps
  const perClass = wholeNumber('--per-class', values['per-class'] as string, 1);
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
    const records: TrainBenchRecord[] = [];
    for (const preset of presets) {
      for (const phase of ['phase1', 'phase2'] as const) {
        const config = phaseConfig(preset, layerChannels, phase, steps);
        const timings = {} as Record<KernelMode, Timing>;
        for (const mode of ['reference', 'fused'] as const) {
          setKernelMode(mode);
          console.error(`${preset} ${phase}: ${mode} kernels, ${steps} steps...`);
          timings[mode] = await timePhase(config, classes, set, phase, warmup);
        }
        setKernelMode('fused');
        const kernels = await topKernels(phaseConfig(preset, layerChannels, phase, 2), classes, set);
        const [fast, baseline] = [timings.fused, timings.reference];
        records.push({
          preset,
          phase,
          samplesPerSecond: (config.batchSize * 1000) / fast.msPerStep,
          baselineSamplesPerSecond: (config.batchSize * 1000) / baseline.msPerStep,
          speedup: baseline.msPerStep / fast.msPerStep,
          msPerStep: fast.msPerStep,
          baselineMsPerStep: baseline.msPerStep,
          batchSize: config.batchSize,
          width: phase === 'phase1' ? config.vaeWidth : config.width,
          layers: phase === 'phase1' ? 2 : config.encoderLayers + config.decoderLayers,
          workers: 1,
          backend: tfjs.detail,
          cores: os.availableParallelism(),
          residentMbPer1000Images: residentMbPer1000(set),
          tensorsBefore: fast.tensorsBefore,
          tensorsAfter: fast.tensorsAfter,
          topKernels: kernels,
          data: dataLabel,
        });
      }
    }
    const n = (v: number, d = 1) => v.toFixed(d);
    console.log(`\nbench:train — ${tfjs.detail}, ${os.availableParallelism()} cores (${os.cpus()[0]?.model}); data: ${dataLabel}\n`);
    console.log('| preset | phase | batch | width | layers | workers | samples/s | baseline samples/s | speedup | ms/step | baseline ms/step | tensors before/after | training-set MB per 1000 images |');
    console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
    for (const r of records) {
      console.log(`| ${r.preset} | ${r.phase} | ${r.batchSize} | ${r.width} | ${r.layers} | ${r.workers} | ${n(r.samplesPerSecond)} | ${n(r.baselineSamplesPerSecond)} | ${n(r.speedup, 2)}x | ${n(r.msPerStep, 0)} | ${n(r.baselineMsPerStep, 0)} | ${r.tensorsBefore}/${r.tensorsAfter} | ${n(r.residentMbPer1000Images, 0)} |`);
    }
    for (const r of records) console.log(`\ntop kernels, ${r.preset} ${r.phase} (2 profiled steps, fast kernels): ${r.topKernels.map((k) => `${k.name} ${k.ms} ms/${k.calls}`).join(', ')}`);
    if (values.json) console.log(`\n${JSON.stringify(records)}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`bench:train failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
