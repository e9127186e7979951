import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluationReportSchema } from '../../src/shared/evaluation';
import { modelPackageManifestSchema } from '../../src/shared/modelPackage';
import { trainReportSchema } from '../../src/shared/training';
import { Catalog } from '../../src/main/catalog/catalog';
import { Inspector } from '../../src/main/services/inspection/inspector';
import { toInspectionResult } from '../../src/main/services/station/inspectionRecords';
import { summariseModel } from '../../src/main/services/station/modelService';
import { validateBesideActive } from '../../src/main/services/station/modelValidationService';
import { openStationService } from '../../src/main/services/station/stationBackend';
import { trainForStation } from '../../src/main/services/training/stationTraining';
import { TrainingCancelledError } from '../../src/main/engine/ltad/trainingCancelledError';
import { stationPaths } from '../../src/main/stationPaths';
import { generateSyntheticDataset } from '../../src/main/synthetic/syntheticDataset';
import { scanMvtecDataset } from '../../src/main/ingest/datasetLayout';
import { cli } from '../helpers/cliRunner';
import { useTempDirs } from '../helpers/tempDir';

/**
 * The CI smoke test of the whole method: a tiny long-tailed synthetic set, a few epochs of the
 * fast preset in the training worker, then evaluation and inspection of the trained model. The
 * file trains once (beforeAll) into a station no test changes; each test works in its own copy of
 * that station (trainedStation), so no test depends on another's order.
 */
let data: string;
let trainedHome: string;
const started = Date.now();
beforeAll(async () => {
  data = mkdtempSync(path.join(os.tmpdir(), 'qa-smoke-data-'));
  trainedHome = mkdtempSync(path.join(os.tmpdir(), 'qa-smoke-home-'));
  await generateSyntheticDataset({
    outDir: data,
    classes: 3,
    seed: 3,
    size: 64,
    nMax: 12,
    longTail: { type: 'exp', beta: 3 },
    testGood: 4,
    testDefectsPerType: 1,
  });
  await widen(path.join(data, 'product_00'));
});

async function maskBox(file: string): Promise<{ x0: number; y0: number; x1: number; y1: number }> {
  const { data, info } = await sharp(file).greyscale().raw().toBuffer({ resolveWithObject: true });
  const box = { x0: Infinity, y0: Infinity, x1: -1, y1: -1 };
  for (let i = 0; i < data.length; i++)
    if ((data[i] as number) > 127) {
      const [x, y] = [i % info.width, Math.floor(i / info.width)];
      box.x0 = Math.min(box.x0, x);
      box.y0 = Math.min(box.y0, y);
      box.x1 = Math.max(box.x1, x);
      box.y1 = Math.max(box.y1, y);
    }
  return box;
}

/** product_00 becomes a wide part, 128x64: every image (and mask) gets a dark strip on its right. */
async function widen(dir: string): Promise<void> {
  for (const file of readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.png'))) {
    const full = path.join(dir, file);
    const { width } = await sharp(full).metadata();
    const wide = await sharp(full)
      .extend({ right: width as number, background: { r: 0, g: 0, b: 0 } })
      .png()
      .toBuffer();
    writeFileSync(full, wide);
  }
}
afterAll(() => {
  rmSync(data, { recursive: true, force: true });
  rmSync(trainedHome, { recursive: true, force: true });
});

const listFiles = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort() : []);

describe('LTAD end to end on synthetic data', () => {
  /** The CLI's answer to the one training run, into trainedHome. */
  let training: { code: number; stdout: string; stderr: string };
  let version = '';
  beforeAll(async () => {
    training = await cli(
      'train',
      '--data',
      data,
      '--preset',
      'fast',
      '--phase1-epochs',
      '3',
      '--phase2-epochs',
      '12',
      '--seed',
      '0',
      '--home',
      trainedHome,
      '--json',
    );
    if (training.code === 0) version = trainReportSchema.parse(JSON.parse(training.stdout)).modelVersion;
  }, 150_000);
  afterAll(() => {
    expect(Date.now() - started, 'fits in the CI budget (under 3 minutes)').toBeLessThan(180_000);
  });

  const tempDir = useTempDirs();
  /** A station of the test's own: a copy of the trained one, its model's directory pointing into the copy. */
  function trainedStation(): string {
    const home = tempDir();
    cpSync(trainedHome, home, { recursive: true });
    const catalog = Catalog.open(stationPaths(home).catalogFile);
    try {
      catalog.db
        .prepare('UPDATE model_versions SET directory = ? WHERE version = ?')
        .run(path.join(stationPaths(home).modelsDir, version), version);
    } finally {
      catalog.close();
    }
    return home;
  }

  it('trains in a worker and records a candidate model with its calibration', () => {
    expect(training.code, training.stderr).toBe(0);
    const report = trainReportSchema.parse(JSON.parse(training.stdout));
    expect(report.nTrainPerClass).toEqual({ product_00: 11, product_01: 5, product_02: 4 });
    expect(report.nHeldOutPerClass).toEqual({ product_00: 1, product_01: 1, product_02: 0 }); // 15% held out; under 6 images none
    expect(report.backend).toMatch(/tfjs 4\.22\.0 (wasm|tensorflow)/);
    expect(report.textTower).toMatch(/built-in frozen text tower/);

    const catalog = Catalog.open(stationPaths(trainedStation()).catalogFile);
    try {
      const model = catalog.models.getByVersion(version);
      expect(model?.status).toBe('candidate');
      expect(Object.keys(model?.fileHashes ?? {}).sort()).toEqual(['model.json', 'weights.bin', 'weights.json']);
      expect(catalog.models.calibration(model?.id as number)).toHaveLength(3);
      // Thresholds set on training images (too few held out here) promise nothing about new parts: the table says "unknown".
      const summary = summariseModel(catalog, model as NonNullable<typeof model>);
      expect(summary.classes.map((c) => [c.thresholdSource, c.newPartFalseRejectBound])).toEqual([
        ['training', null],
        ['training', null],
        ['training', null],
      ]);
      expect(catalog.models.pseudoNames(model?.id as number).map((p) => [p.tokens, p.dim])).toEqual([
        [2, 64],
        [2, 64],
        [2, 64],
      ]);
      const run = catalog.trainingRuns.get(model?.trainingRunId as number);
      expect(run?.status).toBe('succeeded');
      expect(run?.losses.length).toBeGreaterThan(0);
      expect(catalog.classes.listWithCounts().map((c) => [c.name, c.goodTrainImages])).toEqual([
        ['product_00', 12],
        ['product_01', 6],
        ['product_02', 4],
      ]);
      expect(catalog.audit.list().map((e) => e.action)).toEqual(['training.finish', 'training.start']);
    } finally {
      catalog.close();
    }
  });

  it('scores defective parts above good ones (image AUROC > 0.8)', async () => {
    const home = trainedStation();
    const result = await cli('eval', '--data', data, '--model', version, '--home', home, '--json');
    expect(result.code, result.stderr).toBe(0);
    const report = evaluationReportSchema.parse(JSON.parse(result.stdout));
    expect(report.avg.image).toBeGreaterThan(0.8);
    expect(report.avg.pixel).toBeGreaterThan(0.85);
    // Judged as the station judges: the verdicts at each product's threshold in force.
    const catalog = Catalog.open(stationPaths(home).catalogFile);
    const inForce = catalog.models.calibration(catalog.models.getByVersion(version)?.id as number);
    const thresholdOf = (name: string) => inForce.find((c) => c.classId === catalog.classes.getByName(name)?.id)?.threshold;
    for (const [name, c] of Object.entries(report.perClass)) {
      expect(c.atThreshold?.threshold).toBe(thresholdOf(name));
      for (const rate of [c.atThreshold?.falseRejectRate, c.atThreshold?.escapeRate]) {
        expect(rate).toBeGreaterThanOrEqual(0);
        expect(rate).toBeLessThanOrEqual(1);
      }
    }
    catalog.close();
  });

  it('evaluates the same with the onnxruntime heads as with the tfjs heads (AUROCs within 0.002)', async () => {
    const home = trainedStation();
    const [onnx, tfjs] = await Promise.all(
      ['onnx', 'tfjs'].map(async (heads) => {
        const result = await cli('eval', '--data', data, '--model', version, '--home', home, '--heads', heads, '--json');
        expect(result.code, result.stderr).toBe(0);
        return evaluationReportSchema.parse(JSON.parse(result.stdout));
      }),
    );
    if (!onnx || !tfjs) throw new Error('no reports');
    expect(onnx.backend).toMatch(/^heads on onnxruntime-node/);
    expect(tfjs.backend).toMatch(/^tfjs /);
    for (const [name, c] of Object.entries(tfjs.perClass)) {
      expect(Math.abs((onnx.perClass[name]?.imageAuroc ?? Number.NaN) - (c.imageAuroc ?? Number.NaN))).toBeLessThanOrEqual(0.002);
      expect(Math.abs((onnx.perClass[name]?.pixelAuroc ?? Number.NaN) - (c.pixelAuroc ?? Number.NaN))).toBeLessThanOrEqual(0.002);
    }
  });

  it('inspects files: FAIL with regions and an overlay on a defect, a clear error on a bad file', async () => {
    const home = trainedStation();
    const dataset = scanMvtecDataset(data);
    const defect = dataset[0]?.test.find((t) => t.defectType === 'missing')?.file as string;
    const result = await cli(
      'inspect',
      defect,
      path.join(data, 'synthetic.json'),
      '--class',
      'product_00',
      '--model',
      version,
      '--home',
      home,
      '--json',
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/1 of 2 file\(s\) could not be inspected/);
    const [inspected, bad] = JSON.parse(result.stdout);
    expect(inspected).toMatchObject({ verdict: 'fail', product: 'product_00', modelVersion: version });
    expect(inspected.score).toBeGreaterThan(inspected.threshold);
    expect(inspected.regions.length).toBeGreaterThan(0);
    expect(existsSync(inspected.overlayPath) && existsSync(inspected.mapPath)).toBe(true);
    expect(await sharp(inspected.overlayPath).metadata()).toMatchObject({ width: 128, height: 64 });
    expect(bad).toMatchObject({ code: 'not-an-image' });
    const catalog = Catalog.open(stationPaths(home).catalogFile);
    expect(catalog.inspections.count({ verdict: 'fail' })).toBe(1);
    // The record points at a copy inside the station, which the UI can serve (the original may move).
    const [record] = catalog.inspections.list();
    expect(record?.imagePath.startsWith(path.join(stationPaths(home).imagesDir, 'inspections'))).toBe(true);
    expect(record?.fileName).toBe(path.basename(defect));
    expect(inspected.file).toBe(defect);
    catalog.close();
  });

  it("finds a defect where it is on a wide part: letterboxed in, regions in the image's own pixels", async () => {
    const home = trainedStation();
    // product_00 is 128x64, the part on its left (widen): the input has bars above and below it. The
    // defect farthest from the middle row shows whether the map was cut back to the image.
    const boxes = await Promise.all(
      (scanMvtecDataset(data)[0]?.test ?? [])
        .filter((t) => t.maskFile)
        .map(async (t) => ({ file: t.file, box: await maskBox(t.maskFile as string) })),
    );
    const { file, box } = boxes.sort(
      (a, b) => Math.abs((b.box.y0 + b.box.y1) / 2 - 32) - Math.abs((a.box.y0 + a.box.y1) / 2 - 32),
    )[0] as (typeof boxes)[number];
    const result = await cli('inspect', file, '--class', 'product_00', '--model', version, '--home', home, '--json');
    const [inspected] = JSON.parse(result.stdout) as {
      verdict: string;
      regions: { x: number; y: number; width: number; height: number; peakScore: number }[];
    }[];
    expect(inspected?.verdict).toBe('fail');
    const strongest = [...(inspected?.regions ?? [])].sort((a, b) => b.peakScore - a.peakScore)[0] as NonNullable<
      typeof inspected
    >['regions'][number];
    const [cx, cy] = [(box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2];
    expect(cx).toBeGreaterThanOrEqual(strongest.x);
    expect(cx).toBeLessThanOrEqual(strongest.x + strongest.width);
    expect(cy).toBeGreaterThanOrEqual(strongest.y);
    expect(cy).toBeLessThanOrEqual(strongest.y + strongest.height);
  });

  it('inspects a legal 3000x1 line-scan image, and a 16-bit PNG exactly as its 8-bit twin', async () => {
    const home = trainedStation();
    const dir = path.join(home, 'odd-images');
    mkdirSync(dir, { recursive: true });
    const thin = path.join(dir, 'line-scan.png');
    await sharp(Buffer.alloc(3000 * 3, 120), { raw: { width: 3000, height: 1, channels: 3 } })
      .png()
      .toFile(thin);
    const good = scanMvtecDataset(data)[0]?.trainGood[0] as string;
    const [eight, sixteen] = [path.join(dir, 'good-8.png'), path.join(dir, 'good-16.png')];
    await sharp(good).png().toFile(eight);
    await sharp(good).toColourspace('rgb16').png().toFile(sixteen);
    const result = await cli('inspect', thin, eight, sixteen, '--class', 'product_00', '--model', version, '--home', home, '--json');
    expect(result.stderr).not.toMatch(/could not be inspected/);
    const [line, a, b] = JSON.parse(result.stdout);
    expect(line).toMatchObject({ product: 'product_00' });
    expect(existsSync(line.overlayPath)).toBe(true);
    expect(b.verdict).toBe(a.verdict);
    expect(b.score).toBeCloseTo(a.score, 6);
  });

  it("exports a package that scores every product exactly as the station does, with the station's thresholds, and refuses a damaged one", async () => {
    const home = trainedStation();
    const pkg = path.join(tempDir(), 'package');
    // A supervisor's threshold is what the package carries, not what training measured.
    const catalog = Catalog.open(stationPaths(home).catalogFile);
    const modelId = catalog.models.getByVersion(version)?.id as number;
    const tuned = catalog.classes.getByName('product_01')?.id as number;
    const existing = catalog.models.calibration(modelId).find((c) => c.classId === tuned);
    if (!existing) throw new Error('no calibration for product_01');
    catalog.models.setCalibration(modelId, [{ ...existing, threshold: 0.123, thresholdSource: 'supervisor' }]);
    catalog.close();
    const exported = await cli('export', version, '--out', pkg, '--home', home, '--json');
    expect(exported.code, exported.stderr).toBe(0);
    const manifest = modelPackageManifestSchema.parse(JSON.parse(exported.stdout));
    expect(manifest.products.map((p) => p.name)).toEqual(['product_00', 'product_01', 'product_02']);
    expect(manifest.products[1]).toMatchObject({ threshold: 0.123, thresholdSource: 'supervisor' });
    expect(manifest.products[0]?.pseudoName).toMatchObject({ tokens: 2, dim: 64 });
    expect(Object.keys(manifest.files).sort()).toEqual(['heads/0.onnx', 'heads/1.onnx', 'heads/2.onnx', 'mobilenetv2.onnx']);

    const dataset = scanMvtecDataset(data);
    for (const product of dataset) {
      const files = product.test.slice(0, 3).map((t) => t.file);
      const [station, fromPackage] = await Promise.all([
        cli('inspect', ...files, '--class', product.name, '--model', version, '--home', home, '--json'),
        cli('inspect', ...files, '--class', product.name, '--package', pkg, '--json'),
      ]);
      expect(fromPackage.code, fromPackage.stderr).toBe(0);
      const pick = (r: {
        score: number;
        threshold: number;
        normalisedScore: number | null;
        verdict: string;
        regions: unknown;
        classWarning: boolean;
      }) => ({
        score: r.score,
        threshold: r.threshold,
        normalisedScore: r.normalisedScore,
        verdict: r.verdict,
        regions: r.regions,
        classWarning: r.classWarning,
      });
      const stationResults = JSON.parse(station.stdout).map(pick);
      expect(JSON.parse(fromPackage.stdout).map(pick)).toEqual(stationResults);
      // The one score people read: above 0.5 exactly where the raw score is above its threshold.
      for (const r of stationResults as ReturnType<typeof pick>[]) {
        expect(r.normalisedScore).not.toBeNull();
        expect((r.normalisedScore as number) > 0.5).toBe(r.score > r.threshold);
      }
    }
    const audit = Catalog.open(stationPaths(home).catalogFile);
    expect(audit.audit.list({ limit: 1 })[0]).toMatchObject({ action: 'model.export', target: version });
    audit.close();

    const unknown = await cli('inspect', dataset[1]?.test[0]?.file as string, '--class', 'gearbox', '--package', pkg);
    expect(unknown.stderr).toMatch(/has no product "gearbox"/);
    const again = await cli('export', version, '--out', pkg, '--home', home);
    expect(again.stderr).toMatch(/exists and is not empty/);
    const heads = path.join(pkg, 'heads', '1.onnx');
    writeFileSync(heads, Buffer.concat([readFileSync(heads), Buffer.from([0])]));
    const damaged = await cli('inspect', dataset[1]?.test[0]?.file as string, '--class', 'product_01', '--package', pkg);
    expect(damaged.code).toBe(1);
    expect(damaged.stderr).toMatch(/heads\/1\.onnx does not match its hash in the manifest/);
  });

  it('validates a model on labelled defects at its thresholds in force, beside the active model on the same images', async () => {
    const home = trainedStation();
    const paths = stationPaths(home);
    const catalog = Catalog.open(paths.catalogFile);
    try {
      const product = catalog.classes.getByName('product_00');
      const defects =
        scanMvtecDataset(data)
          .find((c) => c.name === 'product_00')
          ?.test.filter((t) => t.defectType !== 'good') ?? [];
      if (!product || defects.length === 0) throw new Error('no product_00 defects');
      catalog.samples.addMany(
        defects.map((t) => ({
          classId: product.id,
          path: t.file,
          sha256: createHash('sha256').update(readFileSync(t.file)).digest('hex'),
          split: 'validation' as const,
          label: 'defect' as const,
          source: 'import' as const,
        })),
      );
      const alone = await validateBesideActive(catalog, paths, version);
      expect(alone).toMatchObject({ version, against: null });
      expect(alone.products.map((p) => p.product)).toEqual(['product_00']); // the others have no labelled defects
      const [row] = alone.products;
      if (!row) throw new Error('no validation row');
      expect(row).toMatchObject({ defects: defects.length, active: null });
      const { confusion } = row.candidate;
      expect(confusion.defectPassed + confusion.defectFailed).toBe(defects.length);
      expect(row.candidate.escapeRate).toBeCloseTo(confusion.defectPassed / defects.length, 12);
      expect(row.candidate.imageAuroc as number).toBeGreaterThan(0.8);
      expect(row.candidate.unreadable).toEqual([]);
      expect(row.candidate.defectScores).toHaveLength(defects.length);
      // A defect passes only under the threshold (and looking like its product).
      expect(row.candidate.defectScores.filter((s) => s <= row.candidate.threshold).length).toBeGreaterThanOrEqual(confusion.defectPassed);
      // The same model under a second version, set beside the first once that one is active: the same numbers.
      const original = catalog.models.getByVersion(version);
      if (!original) throw new Error('no model row');
      const copy = catalog.models.createCandidate({ ...original, version: `${version}-copy` });
      catalog.models.setCalibration(copy.id, catalog.models.calibration(original.id));
      catalog.models.promote(original.id);
      const beside = await validateBesideActive(catalog, paths, copy.version);
      expect(beside.against).toBe(version);
      expect(beside.products[0]?.active).toEqual(beside.products[0]?.candidate);
      expect(beside.products[0]?.candidate).toEqual(row.candidate);
    } finally {
      catalog.close();
    }
  });

  it('refuses an uploaded file that is not an image under its own name, storing nothing', async () => {
    const home = trainedStation();
    const catalog = Catalog.open(stationPaths(home).catalogFile);
    catalog.models.promote(catalog.models.getByVersion(version)?.id as number);
    catalog.close();
    const service = await openStationService({ home, shell: 'browser-host', appVersion: '0.0.0-test' });
    try {
      const junk = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(4096, 7)]).toString('base64');
      const imagesBefore = listFiles(path.join(home, 'images'));
      const result = await service.dispatch('client', 'inspect.image', {
        product: 'product_00',
        source: 'import',
        fileName: 'part-17.png',
        data: junk,
      });
      expect(result).toMatchObject({ ok: false, error: { message: expect.stringMatching(/part-17\.png/) } });
      expect(JSON.stringify(result)).not.toContain(home);
      expect(listFiles(path.join(home, 'images'))).toEqual(imagesBefore);
    } finally {
      await service.close();
    }
  });

  it('records the verdict without images when the disk is full, and says so', async () => {
    const home = trainedStation();
    const paths = stationPaths(home);
    const catalog = Catalog.open(paths.catalogFile);
    const inspector = await Inspector.open(catalog, paths, { version });
    try {
      const good = scanMvtecDataset(data)[0]?.trainGood[0] as string;
      const full = () => {
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      };
      const outcome = await inspector.inspectBytes(readFileSync(good), 'product_00', { station: 's', source: 'import' }, 'part.png', full);
      expect(outcome.verdict).toMatch(/pass|fail/);
      expect(outcome).toMatchObject({ mapPath: null, overlayPath: null });
      const record = catalog.inspections.get(outcome.inspectionId);
      expect(record?.imagesRemoved).toBe('disk-full');
      expect(toInspectionResult(catalog, record as NonNullable<typeof record>)).toMatchObject({
        image: null,
        imagesNote: expect.stringMatching(/disk was full/),
      });
    } finally {
      await inspector.dispose();
      catalog.close();
    }
  });

  it('can be cancelled, and the run says so', async () => {
    const home = trainedStation();
    const catalog = Catalog.open(stationPaths(home).catalogFile);
    const abort = new AbortController();
    try {
      const classes = scanMvtecDataset(data).map((c) => ({ name: c.name, trainFiles: c.trainGood }));
      const training = trainForStation(
        catalog,
        stationPaths(home),
        { classes, foundation: { kind: 'builtin', backbone: 'mobilenetv2' }, runtime: 'onnx', preset: 'fast', seed: 1, actor: 'test' },
        { signal: abort.signal, onProgress: () => abort.abort() },
      );
      await expect(training).rejects.toBeInstanceOf(TrainingCancelledError);
      expect(catalog.trainingRuns.list(1)[0]?.status).toBe('cancelled');
      expect(catalog.audit.list({ limit: 1 })[0]?.action).toBe('training.cancel');
    } finally {
      catalog.close();
    }
  });
});
