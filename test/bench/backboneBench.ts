/**
 * npm run bench:backbone — ms per image for each backbone on onnxruntime-node and on TensorFlow.js,
 * same images, one run. Prints a table and a JSON record (backend, core count, data used).
 *
 *   npm run bench:backbone -- [--images N] [--batch B] [--repeats R] [--data DIR]
 */
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { BackboneId, FeatureRuntimeId } from '../../src/shared/backbones';
import { createFeatureExtractor } from '../../src/main/engineAdapters/createFeatureExtractor';
import type { TapFeatures } from '../../src/main/engine/backbone/featureExtractor';
import { scanMvtecDataset } from '../../src/main/ingest/datasetLayout';
import { loadNetworkImages, toNetworkBatch } from '../../src/main/ingest/networkInput';
import { generateSyntheticDataset } from '../../src/main/synthetic/syntheticDataset';
import { REAL_DATA_DIR, hasRealData } from '../helpers/realData';

interface Row {
  backbone: BackboneId;
  runtime: FeatureRuntimeId;
  runtimeDetail: string;
  batch: number;
  images: number;
  msPerImage: number;
  msPerImageMin: number;
  loadMs: number;
}

async function pickImages(count: number, dataDir: string | undefined): Promise<{ files: string[]; source: string; cleanup: () => void }> {
  const root = dataDir ?? (hasRealData ? REAL_DATA_DIR : undefined);
  if (root) {
    const classes = scanMvtecDataset(root);
    const files: string[] = [];
    for (let i = 0; files.length < count && i < 10_000; i++) {
      const c = classes[i % classes.length];
      const f = c?.trainGood[Math.floor(i / classes.length)];
      if (f) files.push(f);
    }
    return { files, source: `${root} (train/good, round-robin over ${classes.length} classes)`, cleanup: () => {} };
  }
  const out = mkdtempSync(path.join(os.tmpdir(), 'qa-bench-'));
  await generateSyntheticDataset({
    outDir: out,
    classes: 4,
    seed: 1,
    size: 256,
    nMax: Math.ceil(count / 4),
    testGood: 0,
    testDefectsPerType: 0,
  });
  const files = scanMvtecDataset(out)
    .flatMap((c) => c.trainGood)
    .slice(0, count);
  return {
    files,
    source: 'synthetic (4 classes, 256 px, seed 1): real data not found',
    cleanup: () => rmSync(out, { recursive: true, force: true }),
  };
}

function maxRelativeDifference(a: TapFeatures[], b: TapFeatures[]): number {
  let worst = 0;
  a.forEach((tap, t) => {
    const other = b[t] as TapFeatures;
    let diff = 0;
    let scale = 0;
    for (let i = 0; i < tap.data.length; i++) {
      diff = Math.max(diff, Math.abs((tap.data[i] as number) - (other.data[i] as number)));
      scale = Math.max(scale, Math.abs(other.data[i] as number));
    }
    worst = Math.max(worst, diff / scale);
  });
  return worst;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      images: { type: 'string', default: '16' },
      batch: { type: 'string', default: '8' },
      repeats: { type: 'string', default: '3' },
      data: { type: 'string' },
    },
  });
  const count = Number(values.images);
  const batchSize = Number(values.batch);
  const repeats = Number(values.repeats);
  const { files, source, cleanup } = await pickImages(count, values.data);
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'qa-bench-cache-'));
  const rows: Row[] = [];
  const parity: Record<string, number> = {};
  try {
    for (const backbone of ['mobilenetv2', 'inceptionv3'] as const) {
      const outputs: Partial<Record<FeatureRuntimeId, TapFeatures[]>> = {};
      for (const runtime of ['onnx', 'tfjs'] as const) {
        const loadStart = performance.now();
        const extractor = await createFeatureExtractor({ backbone, runtime, cacheDir });
        const loadMs = performance.now() - loadStart;
        const images = await loadNetworkImages(files, extractor.inputSize, 'stretch');
        const batches: { data: Float32Array; n: number }[] = [];
        for (let i = 0; i < images.length; i += batchSize) {
          const slice = images.slice(i, i + batchSize);
          batches.push({ data: toNetworkBatch(slice), n: slice.length });
        }
        outputs[runtime] = await extractor.extract((batches[0] as { data: Float32Array }).data, (batches[0] as { n: number }).n); // warm-up
        const perImage: number[] = [];
        for (let r = 0; r < repeats; r++) {
          const start = performance.now();
          for (const b of batches) await extractor.extract(b.data, b.n);
          perImage.push((performance.now() - start) / images.length);
        }
        await extractor.dispose();
        rows.push({
          backbone,
          runtime,
          runtimeDetail: extractor.runtimeDetail,
          batch: batchSize,
          images: images.length,
          msPerImage: perImage.reduce((a, b) => a + b, 0) / perImage.length,
          msPerImageMin: Math.min(...perImage),
          loadMs,
        });
      }
      parity[backbone] = maxRelativeDifference(outputs.onnx as TapFeatures[], outputs.tfjs as TapFeatures[]);
    }
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
    cleanup();
  }

  const cores = os.availableParallelism();
  console.log(
    `\nBackbone inference, ${files.length} images, batch ${batchSize}, ${repeats} timed passes; ${cores} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}); data: ${source}\n`,
  );
  console.log('| backbone | runtime | ms/image (mean) | ms/image (best) | first load ms | tfjs/onnx |');
  console.log('|---|---|---|---|---|---|');
  for (const row of rows) {
    const onnx = rows.find((r) => r.backbone === row.backbone && r.runtime === 'onnx') as Row;
    const ratio = row.runtime === 'tfjs' ? `${(row.msPerImage / onnx.msPerImage).toFixed(1)}x` : '1.0x';
    console.log(
      `| ${row.backbone} | ${row.runtimeDetail} | ${row.msPerImage.toFixed(1)} | ${row.msPerImageMin.toFixed(1)} | ${row.loadMs.toFixed(0)} | ${ratio} |`,
    );
  }
  console.log(
    `\nParity (max |onnx - tfjs| / max |tfjs| over taps, first batch): ${Object.entries(parity)
      .map(([b, v]) => `${b} ${v.toExponential(2)}`)
      .join(', ')}\n`,
  );
  console.log(
    JSON.stringify(
      {
        benchmark: 'backbone',
        date: new Date().toISOString(),
        cores,
        cpu: os.cpus()[0]?.model,
        node: process.version,
        data: source,
        images: files.length,
        batch: batchSize,
        repeats,
        rows,
        parity,
      },
      null,
      2,
    ),
  );
}

main().catch((error) => {
  console.error(`bench:backbone failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
