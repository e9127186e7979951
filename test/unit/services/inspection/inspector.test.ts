import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Catalog } from '../../../../src/main/catalog/catalog';
import { LTAD_MODEL_FORMAT, LtadModel, type LtadModelMeta } from '../../../../src/main/engine/ltad/ltadModel';
import { LtadNetwork } from '../../../../src/main/engine/ltad/ltadNetwork';
import { trainLtad } from '../../../../src/main/engine/ltad/ltadTrainer';
import { createBuiltinTextTower } from '../../../../src/main/engine/ltad/textTower';
import type { ParameterValues } from '../../../../src/main/engine/ltad/parameterStore';
import { initTfjs } from '../../../../src/main/engine/tfjsRuntime';
import { writeModelDirectory } from '../../../../src/main/engineAdapters/modelDirectory';
import { ImageDecodeError } from '../../../../src/main/ingest/imageDecodeError';
import { storeInspectionImage } from '../../../../src/main/services/inspection/fileStore';
import { Inspector, type InspectionRequestContext } from '../../../../src/main/services/inspection/inspector';
import { stationPaths, type StationPaths } from '../../../../src/main/stationPaths';
import { fakeExtractor } from '../../../helpers/fakeExtractor';
import { useTempDirs } from '../../../helpers/tempDir';
import { TINY_LAYER_CHANNELS, TINY_LTAD, tinyTrainingRows } from '../../../helpers/tinyLtad';

/**
 * The inspector on a tiny trained LTAD model (test/helpers/tinyLtad.ts) with a stand-in image
 * encoder (test/helpers/fakeExtractor.ts): the verdict, the map and overlay files, the stored copy
 * of the image, the catalogue row, and what it refuses. Every test opens a station of its own.
 */

/** Lets a test make the overlay writer fail (a full disk half-way through an inspection's files). */
const overlayFault = vi.hoisted(() => ({ error: null as Error | null }));
vi.mock('../../../../src/main/reports/anomalyOverlay', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../../src/main/reports/anomalyOverlay')>();
  return {
    ...actual,
    writeOverlayJpeg: async (...args: Parameters<typeof actual.writeOverlayJpeg>) => {
      if (overlayFault.error) throw overlayFault.error;
      return actual.writeOverlayJpeg(...args);
    },
  };
});

const tempDir = useTempDirs();
const DIM = TINY_LAYER_CHANNELS.reduce((a, b) => a + b, 0);
const CONTEXT: InspectionRequestContext = { station: 'line 4', operatorId: null, source: 'import' };
const SIDE = 64;
/** Where the bright patch of the defective part lies, in its pixels. */
const PATCH = { left: 8, top: 8, size: 20 };

const unit = (v: number[]) => {
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
};

/** A trained tiny model (classes gear, plate, rare) as meta and weights, written into each test's station. */
let trained: { meta: LtadModelMeta; weights: ParameterValues };
let goodPng: Buffer;
let defectPng: Buffer;
/** The scores of the good and the defective part under the trained model, to set thresholds between. */
let scores: { good: number; defect: number };

function modelMeta(calibration: LtadModelMeta['calibration']): LtadModelMeta {
  const sin = Array.from({ length: DIM }, (_, k) => Math.sin(k));
  const cos = Array.from({ length: DIM }, (_, k) => Math.cos(k));
  return {
    format: LTAD_MODEL_FORMAT,
    backbone: 'mobilenetv2',
    foundation: { kind: 'builtin', backbone: 'mobilenetv2' },
    taps: ['a', 'b'],
    config: { ...TINY_LTAD, phase1Epochs: 1, phase2Epochs: 1 },
    classNames: ['gear', 'plate', 'rare'],
    normalisation: { mean: Array(DIM).fill(0), std: Array(DIM).fill(1) },
    lambda: 0.5,
    map: { size: 32, blurSigma: 1, scoreWindow: 2 },
    calibration,
    // gear looks like the plain grey part (sin), plate and rare like nothing the stand-in encoder gives.
    prototypes: { vectors: [...unit(sin), ...unit(cos), ...unit(sin.map((v) => -v))], dim: DIM, minSimilarity: [0.9, 0.9, 0.9] },
    textTower: 'test',
    training: { backend: 'test', seconds: 0, perPhaseSeconds: {}, nTrainPerClass: {}, nHeldOutPerClass: {} },
  };
}

const calibrationOf = (threshold: number, goodScores: number[] = []) => ({
  threshold,
  targetFalseRejectRate: 0.02,
  thresholdSource: 'training' as const,
  goodScores,
});

/** A mid-grey part, and the same part with a bright patch: the stand-in encoder sees the patch as unlike a gear. */
async function partPng(withPatch: boolean): Promise<Buffer> {
  const pixels = Buffer.alloc(SIDE * SIDE * 3, 128);
  if (withPatch) {
    for (let y = PATCH.top; y < PATCH.top + PATCH.size; y++)
      for (let x = PATCH.left; x < PATCH.left + PATCH.size; x++) pixels.fill(255, (y * SIDE + x) * 3, (y * SIDE + x) * 3 + 3);
  }
  return sharp(pixels, { raw: { width: SIDE, height: SIDE, channels: 3 } })
    .png()
    .toBuffer();
}

interface TestStation {
  home: string;
  paths: StationPaths;
  catalog: Catalog;
  inspector: Inspector;
  /** Every file under the station's images and inspections folders, relative to home. */
  files(): string[];
}

const opened: TestStation[] = [];
afterEach(async () => {
  overlayFault.error = null;
  for (const s of opened.splice(0)) {
    await s.inspector.dispose();
    s.catalog.close();
  }
});

/**
 * A fresh station with products gear, plate and rare and the trained model registered and active;
 * gear and plate are calibrated (gear at `gearThreshold`), rare is not. `catalogueThreshold` is a
 * supervisor's threshold for gear kept in the catalogue.
 */
async function openStation({
  gearThreshold,
  gearGoodScores,
  catalogueThreshold,
  positionStats,
  heads,
}: {
  gearThreshold: number;
  /** The good scores behind gear's trained threshold (its score scale's typical good part is their median). */
  gearGoodScores?: number[];
  catalogueThreshold?: number;
  /** Gives the model per-position statistics, which the onnxruntime heads need (ltadHeadsGraph.ts). */
  positionStats?: LtadModelMeta['positionStats'];
  heads?: 'onnx' | 'tfjs';
}): Promise<TestStation> {
  const home = tempDir();
  const paths = stationPaths(home);
  const catalog = Catalog.open(paths.catalogFile);
  const products = ['gear', 'plate', 'rare'].map((name) => catalog.classes.create(name));
  const directory = path.join(paths.modelsDir, 'm-1');
  const fileHashes = writeModelDirectory(
    directory,
    {
      ...trained.meta,
      calibration: { gear: calibrationOf(gearThreshold, gearGoodScores), plate: calibrationOf(1e9) },
      ...(positionStats ? { positionStats } : {}),
    },
    trained.weights,
  );
  const row = catalog.models.createCandidate({
    version: 'm-1',
    directory,
    backbone: 'mobilenetv2',
    textTower: 'test',
    config: {},
    fileHashes,
  });
  catalog.models.promote(row.id);
  // As the registry does: the thresholds in force live in the catalogue (a supervisor's, when given).
  catalog.models.setCalibration(row.id, [
    {
      classId: (products[0] as { id: number }).id,
      threshold: catalogueThreshold ?? gearThreshold,
      thresholdSource: catalogueThreshold === undefined ? 'training' : 'supervisor',
      targetFalseRejectRate: 0.02,
      normalisation: {},
    },
    {
      classId: (products[1] as { id: number }).id,
      threshold: 1e9,
      thresholdSource: 'training',
      targetFalseRejectRate: 0.02,
      normalisation: {},
    },
  ]);
  const inspector = await Inspector.open(catalog, paths, { openEncoder: async () => fakeExtractor(), ...(heads ? { heads } : {}) });
  const files = () =>
    ['images', 'inspections'].flatMap((dir) =>
      existsSync(path.join(home, dir))
        ? readdirSync(path.join(home, dir), { recursive: true, withFileTypes: true })
            .filter((e) => e.isFile())
            .map((e) => path.relative(home, path.join(e.parentPath, e.name)))
        : [],
    );
  const station = { home, paths, catalog, inspector, files };
  opened.push(station);
  return station;
}

const storeIn = (station: TestStation, fileName: string, bytes: Buffer) => () => storeInspectionImage(station.paths, fileName, bytes);

beforeAll(async () => {
  await initTfjs();
  const config = { ...TINY_LTAD, phase1Epochs: 1, phase2Epochs: 1 };
  const net = new LtadNetwork(config, 3, createBuiltinTextTower(config.textTower));
  await trainLtad(net, tinyTrainingRows());
  const model = new LtadModel(modelMeta({}), net);
  trained = { meta: model.meta, weights: model.weights() };
  model.dispose();
  [goodPng, defectPng] = [await partPng(false), await partPng(true)];
  // Score both parts once, under a threshold nothing reaches.
  const scratch = await openStation({ gearThreshold: 1e9 });
  const good = await scratch.inspector.inspectBytes(goodPng, 'gear', CONTEXT, 'good.png', storeIn(scratch, 'good.png', goodPng));
  const defect = await scratch.inspector.inspectBytes(defectPng, 'gear', CONTEXT, 'defect.png', storeIn(scratch, 'defect.png', defectPng));
  scores = { good: good.score, defect: defect.score };
  await scratch.inspector.dispose();
  scratch.catalog.close();
  opened.splice(0);
});

describe('inspector heads', () => {
  /** Spread the terms unevenly over positions, so that a slip in the per-position maths shows. */
  const stats = (): NonNullable<LtadModelMeta['positionStats']> => {
    const ramp = (a: number, b: number) => Array.from({ length: 196 }, (_, t) => a + (b * t) / 196);
    const one = { recMean: ramp(0.1, 0.2), recStd: ramp(0.5, 1), semMean: ramp(0.2, 0.1), semStd: ramp(0.3, 0.4) };
    return { gear: one, plate: one, rare: one };
  };

  it('score on onnxruntime where the model has position statistics, as the tfjs heads do', async () => {
    const onnx = await openStation({ gearThreshold: 1e9, positionStats: stats() });
    const tfjs = await openStation({ gearThreshold: 1e9, positionStats: stats(), heads: 'tfjs' });
    expect(onnx.inspector.headsRuntime).toMatch(/^onnxruntime-node .* cpu/);
    expect(tfjs.inspector.headsRuntime).toBe('tfjs');
    for (const [name, png] of [
      ['good.png', goodPng],
      ['defect.png', defectPng],
    ] as const) {
      const a = await onnx.inspector.inspectBytes(png, 'gear', CONTEXT, name, storeIn(onnx, name, png));
      const b = await tfjs.inspector.inspectBytes(png, 'gear', CONTEXT, name, storeIn(tfjs, name, png));
      expect(Math.abs(a.score - b.score)).toBeLessThan(1e-4 * Math.max(1, Math.abs(b.score)));
    }
  });

  it('stay on tfjs for a model without position statistics', () => {
    expect(opened.length).toBe(0);
    return openStation({ gearThreshold: 1e9 }).then((station) => expect(station.inspector.headsRuntime).toBe('tfjs'));
  });

  it('roll back to a model saved before the heads graph existed: it inspects on tfjs, and the newer one on onnxruntime again', async () => {
    const station = await openStation({ gearThreshold: 1e9, positionStats: stats() });
    expect(station.inspector.headsRuntime).toMatch(/^onnxruntime/);
    const newer = station.catalog.models.active();
    if (!newer) throw new Error('no active model');
    // The older model: the same weights without position statistics, as models were saved before.
    const directory = path.join(station.paths.modelsDir, 'm-0');
    const fileHashes = writeModelDirectory(directory, { ...trained.meta, calibration: { gear: calibrationOf(1e9) } }, trained.weights);
    const older = station.catalog.models.createCandidate({
      version: 'm-0',
      directory,
      backbone: 'mobilenetv2',
      textTower: 'test',
      config: {},
      fileHashes,
    });
    const gear = station.catalog.classes.getByName('gear');
    if (!gear) throw new Error('no gear');
    station.catalog.models.setCalibration(older.id, [
      { classId: gear.id, threshold: 1e9, thresholdSource: 'training', targetFalseRejectRate: 0.02, normalisation: {} },
    ]);
    for (const [row, runtime] of [
      [older, /^tfjs$/],
      [newer, /^onnxruntime/],
    ] as const) {
      station.catalog.models.promote(row.id);
      const inspector = await Inspector.open(station.catalog, station.paths, { openEncoder: async () => fakeExtractor() });
      try {
        expect(inspector.headsRuntime).toMatch(runtime);
        const outcome = await inspector.inspectBytes(goodPng, 'gear', CONTEXT, 'good.png', storeIn(station, 'good.png', goodPng));
        expect(outcome).toMatchObject({ modelVersion: row.version, verdict: 'pass' });
      } finally {
        await inspector.dispose();
      }
    }
  });
});

describe('inspector batches', () => {
  it('scores a batch as it scores each image alone, and refuses a corrupt image or an unknown product alone', async () => {
    const station = await openStation({ gearThreshold: (scores.good + scores.defect) / 2, positionStats: undefined });
    const request = (bytes: Buffer, product: string, name: string) => ({
      bytes,
      product,
      context: CONTEXT,
      displayName: name,
      store: storeIn(station, name, bytes),
    });
    const outcomes = await station.inspector.inspectBatch([
      request(goodPng, 'gear', 'good.png'),
      request(Buffer.from('not an image'), 'gear', 'junk.png'),
      request(defectPng, 'gear', 'defect.png'),
      request(goodPng, 'nope', 'other.png'),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected']);
    const [good, junk, defect, other] = outcomes;
    if (good?.status !== 'fulfilled' || defect?.status !== 'fulfilled' || junk?.status !== 'rejected' || other?.status !== 'rejected')
      throw new Error('unexpected');
    expect(good.value.score).toBeCloseTo(scores.good, 4);
    expect(defect.value.score).toBeCloseTo(scores.defect, 4);
    expect([good.value.verdict, defect.value.verdict]).toEqual(['pass', 'fail']);
    expect(junk.reason).toBeInstanceOf(ImageDecodeError);
    expect(other.reason).toMatchObject({ kind: 'not-found' });
    expect(station.catalog.inspections.count()).toBe(2);
    expect(good.value.record.id).toBeLessThan(defect.value.record.id); // recorded in arrival order
  });
});

describe('inspector verdicts', () => {
  it('scores a defective part above a good one', () => {
    expect(Number.isFinite(scores.good)).toBe(true);
    expect(scores.defect).toBeGreaterThan(scores.good * 1.5);
  });

  it("passes a part scoring under the threshold and fails one above it, with the defect's region in the image's pixels", async () => {
    const threshold = (scores.good + scores.defect) / 2;
    const station = await openStation({ gearThreshold: threshold });
    const good = await station.inspector.inspectBytes(goodPng, 'gear', CONTEXT, 'good.png', storeIn(station, 'good.png', goodPng));
    expect(good).toMatchObject({
      product: 'gear',
      modelVersion: 'm-1',
      verdict: 'pass',
      threshold,
      regions: [],
      classWarning: false,
      nearestProduct: 'gear',
    });
    expect(good.score).toBeCloseTo(scores.good, 5);
    const defect = await station.inspector.inspectBytes(
      defectPng,
      'gear',
      CONTEXT,
      'defect.png',
      storeIn(station, 'defect.png', defectPng),
    );
    expect(defect).toMatchObject({ verdict: 'fail', threshold, classWarning: false });
    expect(defect.score).toBeGreaterThan(threshold);
    // The largest region overlaps the patch, in the 64 x 64 source image's pixels.
    const [largest] = defect.regions;
    expect(largest).toBeDefined();
    const r = largest as (typeof defect.regions)[number];
    expect(r.x < PATCH.left + PATCH.size && r.x + r.width > PATCH.left && r.y < PATCH.top + PATCH.size && r.y + r.height > PATCH.top).toBe(
      true,
    );
    expect(r.x + r.width).toBeLessThanOrEqual(SIDE);
    expect(r.peakScore).toBeGreaterThan(threshold);
    expect(defect.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('answers with the normalised score on the scale in force, and records that scale with the row', async () => {
    const threshold = (scores.good + scores.defect) / 2;
    const typicalGood = scores.good - (threshold - scores.good); // the good part halfway from a typical one to the threshold
    const station = await openStation({ gearThreshold: threshold, gearGoodScores: [typicalGood - 1, typicalGood, typicalGood + 1] });
    const good = await station.inspector.inspectBytes(goodPng, 'gear', CONTEXT, 'good.png', storeIn(station, 'good.png', goodPng));
    expect(good.normalisedScore).toBeCloseTo(0.375, 5);
    expect(good.record.scoreSpread).toBeCloseTo(threshold - typicalGood, 9);
    const defect = await station.inspector.inspectBytes(
      defectPng,
      'gear',
      CONTEXT,
      'defect.png',
      storeIn(station, 'defect.png', defectPng),
    );
    expect(defect.normalisedScore as number).toBeGreaterThan(0.5);
    // A product whose good scores are unknown has no normalised score.
    const plate = await station.inspector.inspectBytes(goodPng, 'plate', CONTEXT, 'plate.png', storeIn(station, 'plate.png', goodPng));
    expect(plate.normalisedScore).toBeNull();
    expect(plate.record.scoreSpread).toBeNull();
  });

  it("takes a supervisor's threshold from the catalogue over the trained one", async () => {
    const station = await openStation({ gearThreshold: scores.good / 2, catalogueThreshold: scores.defect * 2 });
    const outcome = await station.inspector.inspectBytes(
      defectPng,
      'gear',
      CONTEXT,
      'defect.png',
      storeIn(station, 'defect.png', defectPng),
    );
    expect(outcome).toMatchObject({ verdict: 'pass', threshold: scores.defect * 2, regions: [] });
  });

  it("applies a supervisor's new threshold to the very next inspection, with the same model loaded", async () => {
    const station = await openStation({ gearThreshold: scores.defect * 2 });
    const inspect = () =>
      station.inspector.inspectBytes(defectPng, 'gear', CONTEXT, 'defect.png', storeIn(station, 'defect.png', defectPng));
    expect((await inspect()).verdict).toBe('pass');
    const row = station.catalog.models.active();
    const gear = station.catalog.classes.getByName('gear');
    if (!row || !gear) throw new Error('station not set up');
    const threshold = (scores.good + scores.defect) / 2;
    station.catalog.models.setCalibration(row.id, [
      { classId: gear.id, threshold, thresholdSource: 'supervisor', targetFalseRejectRate: 0.02, normalisation: {} },
    ]);
    const model = station.inspector.model;
    expect(await inspect()).toMatchObject({ verdict: 'fail', threshold });
    expect(station.inspector.model).toBe(model);
  });

  it('never passes a part that looks like another product, whatever its score', async () => {
    const station = await openStation({ gearThreshold: 1e9 });
    const outcome = await station.inspector.inspectBytes(goodPng, 'plate', CONTEXT, 'good.png', storeIn(station, 'good.png', goodPng));
    expect(outcome.score).toBeLessThanOrEqual(outcome.threshold);
    expect(outcome).toMatchObject({ verdict: 'fail', classWarning: true, nearestProduct: 'gear', regions: [] });
    expect(station.catalog.inspections.get(outcome.inspectionId)).toMatchObject({
      verdict: 'fail',
      classWarning: true,
      nearestClass: 'gear',
    });
  });
});

describe('inspector files and records', () => {
  it("stores a copy of the image and writes its score map and overlay under the day's folders", async () => {
    const station = await openStation({ gearThreshold: (scores.good + scores.defect) / 2 });
    const outcome = await station.inspector.inspectBytes(
      defectPng,
      'gear',
      CONTEXT,
      'part 7.png',
      storeIn(station, 'part 7.png', defectPng),
    );
    const day = new Date().toISOString().slice(0, 10);
    expect(path.dirname(outcome.file)).toBe(path.join(station.paths.imagesDir, 'inspections', day));
    expect(readFileSync(outcome.file).equals(defectPng)).toBe(true);
    expect(outcome.mapPath).toBe(path.join(station.home, 'inspections', day, `${path.parse(outcome.file).name}-map.png`));
    expect(outcome.overlayPath).toBe(path.join(station.home, 'inspections', day, `${path.parse(outcome.file).name}-overlay.jpg`));
    // The map at the model's map size, the threshold at grey 128; the overlay at the image's size.
    expect(await sharp(outcome.mapPath as string).metadata()).toMatchObject({ width: 32, height: 32, channels: 1, format: 'png' });
    const map = await sharp(outcome.mapPath as string)
      .extractChannel(0)
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(Math.max(...map.data)).toBeGreaterThan(128);
    expect(Math.min(...map.data)).toBeLessThan(128);
    expect(await sharp(outcome.overlayPath as string).metadata()).toMatchObject({ width: SIDE, height: SIDE, format: 'jpeg' });
    expect(station.files().sort()).toEqual(
      [
        path.relative(station.home, outcome.file),
        path.relative(station.home, outcome.mapPath as string),
        path.relative(station.home, outcome.overlayPath as string),
      ].sort(),
    );
  });

  it('records the row the outcome describes', async () => {
    const station = await openStation({ gearThreshold: (scores.good + scores.defect) / 2 });
    const operator = station.catalog.users.create('olga', 'operator');
    const outcome = await station.inspector.inspectBytes(
      defectPng,
      'gear',
      { station: 'line 4', operatorId: operator.id, source: 'camera' },
      'camera-1.png',
      storeIn(station, 'camera-1.png', defectPng),
    );
    expect(station.catalog.inspections.count()).toBe(1);
    expect(station.catalog.inspections.get(outcome.inspectionId)).toMatchObject({
      station: 'line 4',
      operatorId: operator.id,
      classId: station.catalog.classes.getByName('gear')?.id,
      imagePath: outcome.file,
      imageSha256: createHash('sha256').update(defectPng).digest('hex'),
      score: outcome.score,
      threshold: outcome.threshold,
      verdict: 'fail',
      modelVersionId: station.inspector.row.id,
      anomalyMapPath: outcome.mapPath,
      overlayPath: outcome.overlayPath,
      imagesRemoved: null,
      fileName: 'camera-1.png',
      nearestClass: 'gear',
      source: 'camera',
      classWarning: false,
      regions: outcome.regions,
    });
  });

  it('inspects a file by its path, under its own name', async () => {
    const station = await openStation({ gearThreshold: (scores.good + scores.defect) / 2 });
    const file = path.join(tempDir(), 'from-folder.png');
    writeFileSync(file, goodPng);
    const outcome = await station.inspector.inspect(file, 'gear', { station: 'line 4', source: 'hot-folder' });
    expect(outcome).toMatchObject({ file, verdict: 'pass' });
    const row = station.catalog.inspections.get(outcome.inspectionId);
    expect(row).toMatchObject({ fileName: 'from-folder.png', source: 'hot-folder' });
    expect(path.basename(row?.imagePath ?? '')).toMatch(/-from-folder\.png$/);
    expect(readFileSync(row?.imagePath as string).equals(goodPng)).toBe(true);
  });
});

describe('inspector refusals', () => {
  it("refuses a corrupt or cut-short image under the user's name, and stores and records nothing", async () => {
    const station = await openStation({ gearThreshold: 1 });
    const store = vi.fn(() => 'never');
    const notAnImage = Buffer.from('certainly not a picture');
    await expect(station.inspector.inspectBytes(notAnImage, 'gear', CONTEXT, 'camera-7.png', store)).rejects.toSatisfy(
      (e: unknown) => e instanceof ImageDecodeError && e.message.startsWith('camera-7.png: '),
    );
    const cut = defectPng.subarray(0, Math.floor(defectPng.length / 2));
    await expect(station.inspector.inspectBytes(cut, 'gear', CONTEXT, 'half.png', store)).rejects.toBeInstanceOf(ImageDecodeError);
    expect(store).not.toHaveBeenCalled();
    expect(station.catalog.inspections.count()).toBe(0);
    expect(station.files()).toEqual([]);
  });

  it('refuses a product the catalogue does not know or the model was not calibrated on', async () => {
    const station = await openStation({ gearThreshold: 1 });
    await expect(
      station.inspector.inspectBytes(goodPng, 'nope', CONTEXT, 'good.png', storeIn(station, 'good.png', goodPng)),
    ).rejects.toThrow('Unknown product "nope"');
    await expect(
      station.inspector.inspectBytes(goodPng, 'rare', CONTEXT, 'good.png', storeIn(station, 'good.png', goodPng)),
    ).rejects.toThrow('Model m-1 was not trained on product "rare"');
    expect(station.catalog.inspections.count()).toBe(0);
    expect(station.files()).toEqual([]);
  });
});

describe('inspector on a full disk', () => {
  // Over quota by its code (fs), and a full disk known by its message only (sharp's errors carry no code).
  const overQuota = () => Object.assign(new Error('disk quota exceeded, write'), { code: 'EDQUOT' });
  const diskFull = () => new Error('ENOSPC: no space left on device, write');

  it('records the verdict without images when the image cannot be stored', async () => {
    const station = await openStation({ gearThreshold: (scores.good + scores.defect) / 2 });
    const outcome = await station.inspector.inspectBytes(defectPng, 'gear', CONTEXT, 'camera-2.png', () => {
      throw overQuota();
    });
    expect(outcome).toMatchObject({ verdict: 'fail', file: 'camera-2.png', mapPath: null, overlayPath: null });
    expect(station.catalog.inspections.get(outcome.inspectionId)).toMatchObject({
      verdict: 'fail',
      imagePath: '',
      anomalyMapPath: null,
      overlayPath: null,
      imagesRemoved: 'disk-full',
      fileName: 'camera-2.png',
    });
    expect(station.files()).toEqual([]);
  });

  it('removes what it had written when the disk fills half-way, and still records the verdict', async () => {
    const station = await openStation({ gearThreshold: (scores.good + scores.defect) / 2 });
    overlayFault.error = diskFull();
    const outcome = await station.inspector.inspectBytes(
      goodPng,
      'gear',
      CONTEXT,
      'camera-3.png',
      storeIn(station, 'camera-3.png', goodPng),
    );
    expect(outcome).toMatchObject({ verdict: 'pass', file: 'camera-3.png', mapPath: null, overlayPath: null });
    expect(station.catalog.inspections.get(outcome.inspectionId)).toMatchObject({ imagesRemoved: 'disk-full', imagePath: '' });
    expect(station.files()).toEqual([]); // the stored copy and the map went again
  });

  it('lets any other write failure through, recording nothing', async () => {
    const station = await openStation({ gearThreshold: 1 });
    overlayFault.error = Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' });
    await expect(
      station.inspector.inspectBytes(goodPng, 'gear', CONTEXT, 'camera-4.png', storeIn(station, 'camera-4.png', goodPng)),
    ).rejects.toThrow(/EIO/);
    expect(station.catalog.inspections.count()).toBe(0);
  });
});
