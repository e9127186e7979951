/**
 * npm run bench:inspect-training — does training yield to inspections? Trains a small model,
 * times inspections of real test images with the station idle, then again while a standard
 * training runs on every core (its worker threads at low priority), and prints both p50s and
 * their ratio. With --priority normal the training threads keep normal priority, for comparison.
 *
 *   npm run bench:inspect-training -- [--inspections 15] [--priority low|normal] [--data DIR] [--json]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Catalog } from '../../src/main/catalog/catalog';
import { initTfjs } from '../../src/main/engine/tfjsRuntime';
import { scanMvtecDataset } from '../../src/main/ingest/datasetLayout';
import { Inspector } from '../../src/main/services/inspection/inspector';
import { trainForStation } from '../../src/main/services/training/stationTraining';
import { stationPaths } from '../../src/main/stationPaths';
import { TRAINING_PRIORITY_ENV } from '../../src/main/services/training/threadPriority';
import { hasRealData, REAL_DATA_DIR } from '../helpers/realData';
import { duringStandardTraining } from './duringStandardTraining';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      inspections: { type: 'string', default: '15' },
      priority: { type: 'string', default: 'low' },
      data: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const count = Number(values.inspections);
  if (!Number.isInteger(count) || count < 3)
    throw new Error(`--inspections must be a whole number, at least 3, not "${values.inspections}"`);
  if (values.priority !== 'low' && values.priority !== 'normal') throw new Error(`--priority is low or normal, not "${values.priority}"`);
  const dataDir = values.data ?? REAL_DATA_DIR;
  if (!values.data && !hasRealData) throw new Error(`real data not found at ${REAL_DATA_DIR}: pass --data DIR`);
  if (values.priority === 'normal') process.env[TRAINING_PRIORITY_ENV] = 'normal';
  const tfjs = await initTfjs();
  const home = mkdtempSync(path.join(os.tmpdir(), 'qa-bench-inspect-'));
  const paths = stationPaths(home);
  const catalog = Catalog.open(paths.catalogFile);
  try {
    const classes = scanMvtecDataset(dataDir);
    const product = classes.find((c) => c.test.length > 0);
    if (!product) throw new Error(`${dataDir} has no class with test images`);
    console.error(`training a small model on ${product.name} to inspect with...`);
    const small = await trainForStation(catalog, paths, {
      classes: [{ name: product.name, trainFiles: product.trainGood.slice(0, 24) }],
      foundation: { kind: 'builtin', backbone: 'mobilenetv2' },
      runtime: 'onnx',
      preset: 'fast',
      seed: 0,
      overrides: { phase1MaxSteps: 4, phase2MaxSteps: 4 },
      actor: 'bench',
    });
    const inspector = await Inspector.open(catalog, paths, { version: small.model.version });
    const images = product.test.map((t) => t.file);
    const inspectAll = async () => {
      const ms: number[] = [];
      for (let i = 0; i < count; i++) {
        const started = performance.now();
        await inspector.inspect(images[i % images.length] as string, product.name, { station: 'bench', source: 'hot-folder' });
        ms.push(performance.now() - started);
      }
      return ms;
    };
    await inspectAll(); // warm-up
    const idle = await inspectAll();
    console.error('starting a standard training on every class...');
    const during = await duringStandardTraining(catalog, paths, classes, inspectAll);
    await inspector.dispose();
    const [p50Idle, p50Training] = [median(idle), median(during)];
    const record = {
      inspections: count,
      priority: values.priority,
      p50IdleMs: p50Idle,
      p50DuringTrainingMs: p50Training,
      ratio: p50Training / p50Idle,
      trainingThreads: os.availableParallelism(),
      backend: tfjs.detail,
      cores: os.availableParallelism(),
      data: `${dataDir}: inspections of ${product.name} test images; training on ${classes.length} classes x 40 images (standard preset, phase 2)`,
    };
    console.log(`\nbench:inspect-training — ${tfjs.detail}, ${record.cores} cores; training threads at ${values.priority} priority`);
    console.log(
      `inspection p50 idle ${p50Idle.toFixed(0)} ms, during training ${p50Training.toFixed(0)} ms: ${record.ratio.toFixed(2)}x (${count} inspections each; data: ${record.data})`,
    );
    if (values.json) console.log(JSON.stringify(record));
  } finally {
    catalog.close();
    rmSync(home, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`bench:inspect-training failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
