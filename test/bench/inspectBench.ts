/**
 * npm run bench:inspect — from an image file to a recorded verdict. Trains a fast model on the real
 * dev classes, then times inspections of their test images read from files: p50 and p90 of the
 * whole inspection, of backbone + heads + map alone, a burst of images back to back, and the p50
 * while a standard training runs. Each heads runtime asked for is timed in the same run (tfjs, the
 * path before, and onnxruntime); with --json the last line of stdout is the record of the
 * station's own path. The burst goes through the station's inspection queue, which batches what waits.
 *
 *   npm run bench:inspect -- [--images 40] [--burst 200] [--per-class 60] [--heads tfjs,onnx] [--training on|off] [--data DIR] [--json]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Catalog } from '../../src/main/catalog/catalog';
import { initTfjs } from '../../src/main/engine/tfjsRuntime';
import { scanMvtecDataset } from '../../src/main/ingest/datasetLayout';
import { readImageFile } from '../../src/main/ingest/imageDecoder';
import { Inspector } from '../../src/main/services/inspection/inspector';
import { InspectionService, MAX_QUEUED_INSPECTIONS } from '../../src/main/services/station/inspectionService';
import { trainForStation } from '../../src/main/services/training/stationTraining';
import { stationPaths } from '../../src/main/stationPaths';
import { hasRealData, REAL_DATA_DIR } from '../helpers/realData';
import { duringStandardTraining } from './duringStandardTraining';

const HEADS = ['tfjs', 'onnx'] as const;
type Heads = (typeof HEADS)[number];

interface HeadsTiming {
  heads: Heads;
  runtime: string;
  images: number;
  p50Ms: number;
  p90Ms: number;
  featuresHeadsMapMs: number;
  /** p50 of the inspection's other stages: decoding, the image files, the catalogue row. */
  otherStagesMs: Record<string, number>;
  burstImages: number;
  burstImagesPerSecond: number;
  duringTrainingP50Ms: number | null;
}

const quantile = (values: number[], q: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))] as number;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      images: { type: 'string', default: '40' },
      burst: { type: 'string', default: '200' },
      'per-class': { type: 'string', default: '60' },
      heads: { type: 'string', default: 'tfjs,onnx' },
      training: { type: 'string', default: 'on' },
      data: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const [count, burst, perClass] = [Number(values.images), Number(values.burst), Number(values['per-class'])];
  for (const [name, n] of [
    ['--images', count],
    ['--burst', burst],
    ['--per-class', perClass],
  ] as const) {
    if (!Number.isInteger(n) || n < 3) throw new Error(`${name} must be a whole number, at least 3`);
  }
  const heads = (values.heads as string).split(',') as Heads[];
  for (const h of heads) if (!HEADS.includes(h)) throw new Error(`Unknown --heads "${h}" (tfjs or onnx)`);
  if (values.training !== 'on' && values.training !== 'off') throw new Error('--training is on or off');
  const dataDir = values.data ?? REAL_DATA_DIR;
  if (!values.data && !hasRealData) throw new Error(`real data not found at ${REAL_DATA_DIR}: pass --data DIR`);
  const tfjs = await initTfjs();
  const home = mkdtempSync(path.join(os.tmpdir(), 'qa-bench-inspect-'));
  const paths = stationPaths(home);
  const catalog = Catalog.open(paths.catalogFile);
  try {
    const classes = scanMvtecDataset(dataDir);
    const tested = classes.filter((c) => c.test.length > 0);
    if (tested.length === 0) throw new Error(`${dataDir} has no class with test images`);
    console.error(`training a fast model on ${classes.length} classes (up to ${perClass} images each)...`);
    const trainingStarted = performance.now();
    const trained = await trainForStation(catalog, paths, {
      classes: classes.map((c) => ({ name: c.name, trainFiles: c.trainGood.slice(0, perClass) })),
      foundation: { kind: 'builtin', backbone: 'mobilenetv2' },
      runtime: 'onnx',
      preset: 'fast',
      seed: 0,
      actor: 'bench',
    });
    const trainedRow = catalog.models.getByVersion(trained.model.version);
    if (!trainedRow) throw new Error(`${trained.model.version} is not in the catalogue`);
    catalog.models.promote(trainedRow.id); // the station's queue inspects with the active model
    console.error(`  trained ${trained.model.version} in ${((performance.now() - trainingStarted) / 1000).toFixed(0)} s`);
    // Test images of every tested class in turn, so no product's session or cache is favoured.
    const queue = Array.from({ length: Math.max(...tested.map((c) => c.test.length)) }, (_, i) =>
      tested.flatMap((c) => (c.test[i] ? [{ file: c.test[i].file, product: c.name }] : [])),
    ).flat();
    const pick = (i: number) => queue[i % queue.length] as { file: string; product: string };
    const timings: HeadsTiming[] = [];
    for (const h of heads) {
      const inspector = await Inspector.open(catalog, paths, { version: trained.model.version, heads: h });
      try {
        const inspectMany = async (n: number, offset = 0) => {
          const total: number[] = [];
          const core: number[] = [];
          const stages: Record<string, number[]> = { decode: [], files: [], record: [] };
          for (let i = 0; i < n; i++) {
            const { file, product } = pick(offset + i);
            const started = performance.now();
            const outcome = await inspector.inspect(file, product, { station: 'bench', source: 'hot-folder' });
            total.push(performance.now() - started);
            core.push(outcome.stageMs.featuresHeadsMap);
            for (const [stage, list] of Object.entries(stages)) list.push(outcome.stageMs[stage as keyof typeof outcome.stageMs]);
          }
          return { total, core, stages };
        };
        console.error(`${h} heads (${inspector.headsRuntime}): warm-up, ${count} inspections, a burst of ${burst}...`);
        await inspectMany(tested.length * 2); // every product's session built once
        const single = await inspectMany(count);
        // The burst goes through the station's own queue with as many requests in flight as it admits,
        // as a hot folder or many API calls would: waiting requests are inspected as one batch.
        const service = new InspectionService(catalog, paths, (version) => Inspector.open(catalog, paths, { version, heads: h }));
        let taken = 0;
        const burstStarted = performance.now();
        await Promise.all(
          Array.from({ length: MAX_QUEUED_INSPECTIONS }, async () => {
            while (taken < burst) {
              const { file, product } = pick(count + taken++);
              await service.inspectBytes(await readImageFile(file), path.basename(file), product, {
                station: 'bench',
                operatorId: null,
                source: 'hot-folder',
              });
            }
          }),
        );
        const burstSeconds = (performance.now() - burstStarted) / 1000;
        await service.close();
        let duringTrainingP50Ms: number | null = null;
        if (values.training === 'on' && h === heads[heads.length - 1])
          duringTrainingP50Ms = quantile((await duringStandardTraining(catalog, paths, classes, () => inspectMany(15))).total, 0.5);
        timings.push({
          heads: h,
          runtime: inspector.headsRuntime,
          images: count,
          p50Ms: quantile(single.total, 0.5),
          p90Ms: quantile(single.total, 0.9),
          featuresHeadsMapMs: quantile(single.core, 0.5),
          otherStagesMs: Object.fromEntries(Object.entries(single.stages).map(([k, v]) => [k, quantile(v, 0.5)])),
          burstImages: burst,
          burstImagesPerSecond: burst / burstSeconds,
          duringTrainingP50Ms,
        });
      } finally {
        await inspector.dispose();
      }
    }
    const cores = os.availableParallelism();
    console.log(
      `\nbench:inspect — ${cores} cores (${os.cpus()[0]?.model ?? 'cpu'}); backbone mobilenetv2 on onnxruntime; training backend ${tfjs.detail}; model ${trained.model.version} (fast, ${classes.length} classes); test images of ${tested.map((c) => c.name).join(', ')} from ${dataDir}\n`,
    );
    console.log(
      '| heads | runtime | images | p50 ms | p90 ms | features + heads + map ms (p50) | decode / files / record ms (p50) | burst images/s | p50 during training ms |',
    );
    console.log('|---|---|---|---|---|---|---|---|---|');
    const f = (v: number | null, digits = 1) => (v === null ? '-' : v.toFixed(digits));
    for (const t of timings) {
      console.log(
        `| ${t.heads} | ${t.runtime} | ${t.images} | ${f(t.p50Ms)} | ${f(t.p90Ms)} | ${f(t.featuresHeadsMapMs)} | ${['decode', 'files', 'record'].map((k) => f(t.otherStagesMs[k] ?? null)).join(' / ')} | ${f(t.burstImagesPerSecond)} (${t.burstImages}) | ${f(t.duringTrainingP50Ms)} |`,
      );
    }
    const own = timings.find((t) => t.heads === 'onnx') ?? timings[timings.length - 1];
    if (values.json && own) {
      const { heads: _, runtime, otherStagesMs: __, ...record } = own;
      console.log(JSON.stringify({ model: trained.model.version, preset: 'fast', ...record, provider: runtime, cores }));
    }
  } finally {
    catalog.close();
    rmSync(home, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`bench:inspect failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
