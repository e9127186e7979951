import { createHash } from 'node:crypto';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TrainingStatus } from '../../../../src/shared/api/apiRecords';
import type { User } from '../../../../src/shared/catalogTypes';
import type { TrainedModel, TrainingProgressEventMessage } from '../../../../src/shared/training';
import { Catalog } from '../../../../src/main/catalog/catalog';
import { DomainError } from '../../../../src/main/domainError';
import { TrainingCancelledError } from '../../../../src/main/engine/ltad/trainingCancelledError';
import { TrainingService } from '../../../../src/main/services/station/trainingService';
import { MAX_LOSS_POINTS } from '../../../../src/main/services/station/lossHistory';
import type { TrainingJobRequest } from '../../../../src/main/services/training/ltadTrainingJob';
import type {
  TrainingListeners,
  TrainingWorkerOutcome,
  TrainingWorkerStarter,
} from '../../../../src/main/services/training/trainingWorkerClient';
import { stationPaths } from '../../../../src/main/stationPaths';

/** The training worker, faked: the test sends its progress and decides how it ends. */
interface FakeWorker {
  request: TrainingJobRequest;
  modelDir: string;
  listeners: TrainingListeners;
  cancelled: boolean;
  finish(outcome: TrainingWorkerOutcome): void;
  fail(error: Error): void;
}

const paths = stationPaths(path.join('/nonexistent', 'station-home'));
const sha = (c: string) => c.repeat(64);

let catalog: Catalog;
let workers: FakeWorker[];
let published: TrainingStatus[];
let service: TrainingService;
let sam: User;

const startFake: TrainingWorkerStarter = (request, modelDir, listeners = {}) => {
  let settle: { resolve(o: TrainingWorkerOutcome): void; reject(e: Error): void } | undefined;
  const result = new Promise<TrainingWorkerOutcome>((resolve, reject) => (settle = { resolve, reject }));
  const worker: FakeWorker = {
    request,
    modelDir,
    listeners,
    cancelled: false,
    finish: (outcome) => settle?.resolve(outcome),
    fail: (error) => settle?.reject(error),
  };
  workers.push(worker);
  return { result, cancel: () => (worker.cancelled = true) };
};

/** Products with good images in the catalogue; their files do not exist, so nothing may read them. */
function addProduct(name: string, images: number): void {
  const product = catalog.classes.create(name);
  const sample = (i: number) => ({
    classId: product.id,
    path: `/nowhere/${name}-${i}.png`,
    sha256: createHash('sha256').update(`${name}-${i}`).digest('hex'),
    split: 'train' as const,
    label: 'good' as const,
    source: 'import' as const,
  });
  catalog.samples.addMany(Array.from({ length: images }, (_, i) => sample(i)));
}

const progress = (step: number, steps = 10): TrainingProgressEventMessage => ({
  phase: 'phase1',
  epoch: 1,
  epochs: 2,
  step,
  steps,
  runStep: step,
  runSteps: steps,
  losses: { total: 1 / step },
  etaSeconds: steps - step,
});

function trainedModel(modelDir: string, products: string[]): TrainedModel {
  return {
    modelDir,
    fileHashes: { 'model.json': sha('a'), 'weights.json': sha('b'), 'weights.bin': sha('c') },
    backbone: 'mobilenetv2',
    textTower: 'built-in frozen text tower',
    config: { preset: 'fast', taps: ['t'], lambda: 0.5 },
    training: { backend: 'fake', seconds: 3, perPhaseSeconds: { phase1: 1, phase2: 2 }, nTrainPerClass: {}, nHeldOutPerClass: {} },
    lambda: 0.5,
    featureChannels: 720,
    products: products.map((name, c) => ({
      name,
      threshold: 1 + c,
      thresholdSource: 'held-out' as const,
      targetFalseRejectRate: 0.02,
      goodScores: [0.5 + c, 0.7 + c],
      pseudoName: { tokens: 2, dim: 3, data: Float32Array.from([c, c, c, c, c, c]) },
    })),
  };
}

/** Lets the service see how the worker ended (its promise callbacks run on later ticks). */
const settled = () => new Promise((resolve) => setImmediate(resolve));

beforeEach(() => {
  catalog = Catalog.open(':memory:');
  workers = [];
  published = [];
  sam = catalog.users.create('sam', 'supervisor', '2468');
  service = new TrainingService(catalog, paths, (status) => published.push(status), {
    overrides: { phase1Epochs: 1 },
    startWorker: startFake,
  });
});
afterEach(() => catalog.close());

describe("the station's training service", () => {
  it("starts a worker on the catalogue's images, with the run recorded first and its id in the status", () => {
    addProduct('gear', 3);
    addProduct('bracket', 2);
    const status = service.start(sam, 'fast', 0.05);
    const [run] = catalog.trainingRuns.list();
    expect(status).toMatchObject({ state: 'running', runId: run?.id });
    expect(run?.status).toBe('running');
    expect(workers).toHaveLength(1);
    const [worker] = workers as [FakeWorker];
    expect(worker.request).toMatchObject({
      preset: 'fast',
      targetFalseRejectRate: 0.05,
      overrides: { phase1Epochs: 1 },
      cacheDir: paths.backboneCacheDir,
    });
    expect(worker.request.classes.map((c) => [c.name, c.trainFiles.length])).toEqual([
      ['gear', 3],
      ['bracket', 2],
    ]);
    expect(worker.modelDir).toBe(path.join(paths.modelsDir, run?.config.version as string));
    expect(catalog.audit.list().map((e) => e.action)).toEqual(['training.start']);
  });

  it('reports progress under the run it started, even once a newer run row exists', () => {
    addProduct('gear', 3);
    const { runId } = service.start(sam, 'fast', 0.02);
    const newer = catalog.trainingRuns.create({ by: 'another process' });
    (workers[0] as FakeWorker).listeners.onProgress?.(progress(10));
    expect(service.current()).toMatchObject({
      runId,
      phase: 'phase1',
      step: 10,
      steps: 10,
      etaSeconds: 0,
      losses: [{ phase: 'phase1', step: 10, values: { total: 0.1 } }],
    });
    expect(published.at(-1)).toEqual(service.current());
    expect(catalog.trainingRuns.get(runId as number)?.progress).toMatchObject({ step: 10, steps: 10 });
    expect(catalog.trainingRuns.get(newer.id)?.progress).toBeNull();
  });

  it("keeps the whole run's losses on the chart, phase 2's steps after phase 1's, at a bounded number of points", () => {
    addProduct('gear', 3);
    service.start(sam, 'fast', 0.02);
    const listeners = (workers[0] as FakeWorker).listeners;
    for (let step = 1; step <= 500; step++) listeners.onProgress?.(progress(step, 500));
    for (let step = 1; step <= 300; step++)
      listeners.onProgress?.({ ...progress(step, 300), phase: 'phase2', runStep: 500 + step, runSteps: 800 });
    const { losses } = service.current();
    expect(losses.length).toBeLessThanOrEqual(MAX_LOSS_POINTS);
    expect(losses[0]?.phase).toBe('phase1'); // the start is still there
    expect(losses.at(-1)).toMatchObject({ phase: 'phase2', step: 800 });
    const firstOfPhase2 = losses.find((p) => p.phase === 'phase2');
    expect(firstOfPhase2?.step).toBeGreaterThan(500);
    expect(losses.map((p) => p.step)).toEqual([...losses.map((p) => p.step)].sort((a, b) => a - b));
  });

  it('after a restart shows how the last run ended, an interrupted one included, not "idle"', () => {
    addProduct('gear', 3);
    service.start(sam, 'fast', 0.05);
    (workers[0] as FakeWorker).listeners.onProgress?.(progress(4));
    const [run] = catalog.trainingRuns.list();
    // The station stopped mid-run; at the next start the run is marked interrupted.
    expect(catalog.trainingRuns.failInterrupted(() => false, 0, Date.now() + 60_000)).toBe(1);
    const restarted = new TrainingService(catalog, paths, () => {}, { startWorker: startFake });
    expect(restarted.current()).toMatchObject({
      runId: run?.id,
      state: 'failed',
      error: expect.stringMatching(/interrupted/),
      phase: 'phase1',
      step: 4,
      steps: 10,
    });
    expect(restarted.current().losses.length).toBeGreaterThan(0);
    const fresh = Catalog.open(':memory:');
    expect(new TrainingService(fresh, paths, () => {}).current().state).toBe('idle');
    fresh.close();
  });

  it('refuses a second run while one is in progress, and cancelling with none', () => {
    addProduct('gear', 3);
    expect(() => service.cancel(sam)).toThrow(DomainError);
    service.start(sam, 'fast', 0.02);
    expect(() => service.start(sam, 'fast', 0.02)).toThrow(
      expect.objectContaining({ kind: 'conflict', message: expect.stringMatching(/in progress already/) }),
    );
    expect(workers).toHaveLength(1);
    expect(catalog.trainingRuns.list()).toHaveLength(1);
  });

  it('refuses to start without enough good images', () => {
    expect(() => service.start(sam, 'fast', 0.02)).toThrow(
      expect.objectContaining({ kind: 'conflict', message: expect.stringMatching(/No product has good images/) }),
    );
    addProduct('gear', 1);
    expect(() => service.start(sam, 'fast', 0.02)).toThrow(
      expect.objectContaining({ kind: 'conflict', message: expect.stringMatching(/at least 2 good images \(gear/) }),
    );
    expect(workers).toEqual([]);
    expect(catalog.trainingRuns.list()).toEqual([]);
  });

  it('cancels: asks the worker to stop, then records the run as cancelled', async () => {
    addProduct('gear', 3);
    const { runId } = service.start(sam, 'fast', 0.02);
    const worker = workers[0] as FakeWorker;
    service.cancel(sam);
    expect(worker.cancelled).toBe(true);
    worker.fail(new TrainingCancelledError());
    await vi.waitFor(() => expect(service.current().state).toBe('cancelled'));
    expect(service.current()).toMatchObject({ runId, error: null, etaSeconds: null });
    expect(catalog.trainingRuns.get(runId as number)?.status).toBe('cancelled');
    expect(catalog.audit.list().map((e) => e.action)).toEqual(['training.cancel', 'training.cancel-request', 'training.start']);
    await settled();
    expect(() => service.start(sam, 'fast', 0.02)).not.toThrow(); // free for the next run
  });

  it("on completion registers the worker's model as a candidate of the run, without loading it", async () => {
    addProduct('gear', 3);
    addProduct('bracket', 2);
    const { runId } = service.start(sam, 'fast', 0.02);
    const worker = workers[0] as FakeWorker;
    worker.finish({ model: trainedModel(worker.modelDir, ['gear', 'bracket']), seconds: 3, perPhaseSeconds: { phase1: 1, phase2: 2 } });
    await vi.waitFor(() => expect(service.current().state).toBe('succeeded'));
    const model = catalog.models.getByVersion(service.current().modelVersion as string);
    expect(model).toMatchObject({
      status: 'candidate',
      directory: worker.modelDir,
      trainingRunId: runId,
      backbone: 'mobilenetv2',
      metrics: { training: { backend: 'fake' } },
    });
    expect(catalog.models.calibration(model?.id as number).map((c) => [c.threshold, c.normalisation])).toEqual([
      [1, { lambda: 0.5, featureChannels: 720 }],
      [2, { lambda: 0.5, featureChannels: 720 }],
    ]);
    expect(catalog.models.pseudoNames(model?.id as number).map((p) => [p.tokens, p.dim, p.data[0]])).toEqual([
      [2, 3, 0],
      [2, 3, 1],
    ]);
    expect(catalog.trainingRuns.get(runId as number)).toMatchObject({ status: 'succeeded', modelVersionId: model?.id });
    expect(catalog.audit.list({ limit: 1 })[0]?.action).toBe('training.finish');
  });

  it('says why a run failed, and records it failed', async () => {
    addProduct('gear', 3);
    const { runId } = service.start(sam, 'fast', 0.02);
    (workers[0] as FakeWorker).fail(new Error('Training failed: out of memory'));
    await vi.waitFor(() => expect(service.current().state).toBe('failed'));
    expect(service.current().error).toBe('Training failed: out of memory');
    expect(catalog.trainingRuns.get(runId as number)).toMatchObject({ status: 'failed', error: 'Training failed: out of memory' });
  });
});
