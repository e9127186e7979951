import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluationReportSchema } from '../../src/shared/evaluation';
import { trainReportSchema } from '../../src/shared/training';
import { Catalog } from '../../src/main/catalog/catalog';
import { trainForStation } from '../../src/main/services/stationTraining';
import { TrainingCancelled } from '../../src/main/services/trainingWorkerClient';
import { stationPaths } from '../../src/main/stationPaths';
import { generateSyntheticDataset } from '../../src/main/synthetic/syntheticDataset';
import { scanMvtecDataset } from '../../src/main/ingest/datasetLayout';
import { cli } from '../helpers/cliRunner';

/**
 * The CI smoke test of the whole method: a tiny long-tailed synthetic set, a few epochs of the
 * fast preset in the training worker, then evaluation and inspection of the trained model.
 */
let data: string;
let home: string;
const started = Date.now();
beforeAll(async () => {
  data = mkdtempSync(path.join(os.tmpdir(), 'qa-smoke-data-'));
  home = mkdtempSync(path.join(os.tmpdir(), 'qa-smoke-home-'));
  await generateSyntheticDataset({ outDir: data, classes: 3, seed: 3, size: 64, nMax: 12, longTail: { type: 'exp', beta: 3 }, testGood: 4, testDefectsPerType: 1 });
});
afterAll(() => {
  rmSync(data, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
});

describe('LTAD end to end on synthetic data', () => {
  let version = '';

  it('trains in a worker and records a candidate model with its calibration', async () => {
    const result = await cli('train', '--data', data, '--preset', 'fast', '--phase1-epochs', '3', '--phase2-epochs', '12', '--seed', '0', '--home', home, '--json');
    expect(result.code, result.stderr).toBe(0);
    const report = trainReportSchema.parse(JSON.parse(result.stdout));
    version = report.modelVersion;
    expect(report.nTrainPerClass).toEqual({ product_00: 11, product_01: 5, product_02: 4 });
    expect(report.nHeldOutPerClass).toEqual({ product_00: 1, product_01: 1, product_02: 0 }); // 15% held out; under 6 images none
    expect(report.backend).toMatch(/tfjs 4\.22\.0 (wasm|tensorflow)/);
    expect(report.textTower).toMatch(/built-in frozen text tower/);

    const catalog = Catalog.open(stationPaths(home).catalogFile);
    try {
      const model = catalog.models.getByVersion(version);
      expect(model?.status).toBe('candidate');
      expect(Object.keys(model?.fileHashes ?? {}).sort()).toEqual(['model.json', 'weights.bin', 'weights.json']);
      expect(catalog.models.calibration(model?.id as number)).toHaveLength(3);
      expect(catalog.models.pseudoNames(model?.id as number).map((p) => [p.tokens, p.dim])).toEqual([[2, 64], [2, 64], [2, 64]]);
      const run = catalog.trainingRuns.get(model?.trainingRunId as number);
      expect(run?.status).toBe('succeeded');
      expect(run?.losses.length).toBeGreaterThan(0);
      expect(catalog.classes.listWithCounts().map((c) => [c.name, c.goodTrainImages])).toEqual([['product_00', 12], ['product_01', 6], ['product_02', 4]]);
      expect(catalog.audit.list().map((e) => e.action)).toEqual(['training.finish', 'training.start']);
    } finally {
      catalog.close();
    }
  }, 150_000);

  it('scores defective parts above good ones (image AUROC > 0.8)', async () => {
    const result = await cli('eval', '--data', data, '--model', version, '--home', home, '--json');
    expect(result.code, result.stderr).toBe(0);
    const report = evaluationReportSchema.parse(JSON.parse(result.stdout));
    expect(report.avg.image).toBeGreaterThan(0.8);
    expect(report.avg.pixel).toBeGreaterThan(0.85);
  });

  it('inspects files: FAIL with regions and an overlay on a defect, a clear error on a bad file', async () => {
    const dataset = scanMvtecDataset(data);
    const defect = dataset[0]?.test.find((t) => t.defectType === 'missing')?.file as string;
    const result = await cli('inspect', defect, path.join(data, 'synthetic.json'), '--class', 'product_00', '--model', version, '--home', home, '--json');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/1 of 2 file\(s\) could not be inspected/);
    const [inspected, bad] = JSON.parse(result.stdout);
    expect(inspected).toMatchObject({ verdict: 'fail', product: 'product_00', modelVersion: version });
    expect(inspected.score).toBeGreaterThan(inspected.threshold);
    expect(inspected.regions.length).toBeGreaterThan(0);
    expect(existsSync(inspected.overlayPath) && existsSync(inspected.mapPath)).toBe(true);
    expect(bad).toMatchObject({ code: 'not-an-image' });
    const catalog = Catalog.open(stationPaths(home).catalogFile);
    expect(catalog.inspections.count({ verdict: 'fail' })).toBe(1);
    catalog.close();
  });

  it('can be cancelled, and the run says so', async () => {
    const catalog = Catalog.open(stationPaths(home).catalogFile);
    const abort = new AbortController();
    try {
      const classes = scanMvtecDataset(data).map((c) => ({ name: c.name, trainFiles: c.trainGood }));
      const training = trainForStation(catalog, stationPaths(home), { classes, foundation: { kind: 'builtin', backbone: 'mobilenetv2' }, runtime: 'onnx', preset: 'fast', seed: 1, actor: 'test' }, { signal: abort.signal, onProgress: () => abort.abort() });
      await expect(training).rejects.toBeInstanceOf(TrainingCancelled);
      expect(catalog.trainingRuns.list(1)[0]?.status).toBe('cancelled');
      expect(catalog.audit.list({ limit: 1 })[0]?.action).toBe('training.cancel');
    } finally {
      catalog.close();
    }
  });

  it('fits in the CI budget (under 3 minutes)', () => {
    expect(Date.now() - started).toBeLessThan(180_000);
  });
});
