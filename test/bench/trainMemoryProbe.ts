/**
 * One training run on `--images N` good images, in a process of its own, for bench:train's
 * memory column: prints one JSON line with the process's resident memory before the job and its
 * peak (VmHWM) after, in MB. The step budgets are small: memory grows with images, not steps.
 *
 *   tsx test/bench/trainMemoryProbe.ts --images 500 --data DIR --cache DIR [--preset standard]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { LtadPreset } from '../../src/main/engine/ltad/ltadConfig';
import { initTfjs } from '../../src/main/engine/tfjsRuntime';
import { scanMvtecDataset } from '../../src/main/ingest/datasetLayout';
import { runTrainingJob } from '../../src/main/services/training/ltadTrainingJob';

/** VmRSS / VmHWM of this process in MB (Linux). */
function residentMb(field: 'VmRSS' | 'VmHWM'): number {
  const line = readFileSync('/proc/self/status', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${field}:`));
  if (!line) throw new Error(`/proc/self/status has no ${field} (resident memory is measured on Linux only)`);
  return Number(line.split(/\s+/)[1]) / 1024;
}

/** `count` files taken round-robin across the classes, so every class is in the run. */
function spreadFiles(perClass: string[][], count: number): { classIndex: number; files: string[] }[] {
  const picked = perClass.map(() => [] as string[]);
  for (let i = 0, taken = 0; taken < count; i++) {
    const c = i % perClass.length;
    const next = perClass[c]?.[Math.floor(i / perClass.length)];
    if (next) {
      picked[c]?.push(next);
      taken++;
    }
    if (i > count * perClass.length) throw new Error(`The data has fewer than ${count} training images`);
  }
  return picked.map((files, classIndex) => ({ classIndex, files })).filter((c) => c.files.length > 0);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      images: { type: 'string' },
      data: { type: 'string' },
      cache: { type: 'string' },
      preset: { type: 'string', default: 'standard' },
    },
  });
  const images = Number(values.images);
  if (!Number.isInteger(images) || images < 1 || !values.data || !values.cache) throw new Error('usage: --images N --data DIR --cache DIR');
  await initTfjs();
  const classes = scanMvtecDataset(values.data);
  const chosen = spreadFiles(
    classes.map((c) => c.trainGood),
    images,
  );
  const before = residentMb('VmRSS');
  const started = performance.now();
  await runTrainingJob({
    classes: chosen.map((c) => ({ name: classes[c.classIndex]?.name as string, trainFiles: c.files })),
    foundation: { kind: 'builtin', backbone: 'mobilenetv2' },
    runtime: 'onnx',
    preset: values.preset as LtadPreset,
    seed: 0,
    overrides: { phase1MaxSteps: 4, phase2MaxSteps: 4 },
    cacheDir: values.cache,
  });
  console.log(
    JSON.stringify({ images, rssBeforeMb: before, peakRssMb: residentMb('VmHWM'), seconds: (performance.now() - started) / 1000 }),
  );
}

main().catch((error) => {
  console.error(`trainMemoryProbe failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
