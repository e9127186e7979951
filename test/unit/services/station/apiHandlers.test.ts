import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiResult } from '../../../../src/shared/api/apiErrors';
import type { HotFolderStatus, InspectionResult, LogEntry } from '../../../../src/shared/api/apiRecords';
import { METHOD_NAMES, STATION_API, type MethodInput, type MethodName, type MethodOutput } from '../../../../src/shared/api/stationApi';
import type { StationEvent } from '../../../../src/shared/api/stationEvents';
import { Catalog } from '../../../../src/main/catalog/catalog';
import { DomainError } from '../../../../src/main/domainError';
import { apiErrorBody } from '../../../../src/main/services/station/apiErrorBody';
import { createHandlers, type HandlerContext } from '../../../../src/main/services/station/apiHandlers';
import type { HotFolderService } from '../../../../src/main/services/station/hotFolderService';
import type { InspectionService } from '../../../../src/main/services/station/inspectionService';
import type { StationLog } from '../../../../src/main/services/station/stationLog';
import { StationSessions } from '../../../../src/main/services/station/stationSessions';
import { LineStation } from '../../../../src/main/services/station/lineStation';
import { IDLE_TRAINING_STATUS, type TrainingService } from '../../../../src/main/services/station/trainingService';
import { stationPaths } from '../../../../src/main/stationPaths';
import { useTempDirs } from '../../../helpers/tempDir';

/**
 * The API handlers (services/station/apiHandlers.ts) over a real catalogue in a temporary folder,
 * with the inspection, training and hot-folder services, the log and the event sink faked. `call`
 * does what the dispatcher does around a handler: the input is validated against the method's
 * schema, the handler runs, a refusal becomes its API error (apiErrorBody.ts). Access checks are
 * the dispatcher's (test/integration/stationService.test.ts); here, the handlers' own refusal of a
 * supervisor action without an unlocked supervisor. Every test gets a station of its own.
 */
const tempDir = useTempDirs();

const SUPERVISOR = 'tab-supervisor';
const OPERATOR = 'tab-operator';
const IDLE = IDLE_TRAINING_STATUS;
const HOT_FOLDER_IDLE: HotFolderStatus = {
  folder: null,
  product: null,
  operator: null,
  watching: false,
  inspected: 0,
  rejected: 0,
  rejectFolder: null,
  problem: null,
};

function makeHarness() {
  const home = tempDir();
  const paths = stationPaths(home);
  mkdirSync(home, { recursive: true });
  const catalog = Catalog.open(paths.catalogFile);
  const sessions = new StationSessions();
  const events: StationEvent[] = [];
  const activeProducts = new Set<string>();
  const fakes = {
    inspectBytes: vi.fn<InspectionService['inspectBytes']>(),
    invalidate: vi.fn(async () => {}),
    trainingStart: vi.fn<TrainingService['start']>(() => ({ ...IDLE, state: 'running' as const, startedAt: new Date().toISOString() })),
    trainingCancel: vi.fn<TrainingService['cancel']>(() => ({ ...IDLE, state: 'running' as const })),
    hotFolderStart: vi.fn(async (product: string, _operator?: unknown) => ({
      ...HOT_FOLDER_IDLE,
      folder: '/drop',
      product,
      watching: true,
    })),
    hotFolderStop: vi.fn(async () => HOT_FOLDER_IDLE),
    logTail: vi.fn((lines: number): LogEntry[] =>
      Array.from({ length: Math.min(lines, 3) }, (_, i) => ({
        at: `2026-01-0${i + 1}T00:00:00.000Z`,
        level: 'info' as const,
        message: `line ${i}`,
        details: null,
      })),
    ),
    applyRetention: vi.fn(),
    mqttReconfigure: vi.fn(),
  };
  const inspections = {
    activeProducts: () => activeProducts,
    featureRuntime: () => 'fake runtime',
    inspectBytes: fakes.inspectBytes,
    invalidate: fakes.invalidate,
  } as unknown as InspectionService;
  const training = { current: () => IDLE, start: fakes.trainingStart, cancel: fakes.trainingCancel } as unknown as TrainingService;
  const hotFolder = {
    status: () => HOT_FOLDER_IDLE,
    start: fakes.hotFolderStart,
    stop: fakes.hotFolderStop,
  } as unknown as HotFolderService;
  const log = { info() {}, warn() {}, error() {}, tail: fakes.logTail, close: async () => {} } satisfies StationLog;
  const line = new LineStation({ catalog, paths, inspections, hotFolder, sessions, log, emit: (event) => events.push(event) });
  const ctx: HandlerContext = {
    catalog,
    paths,
    sessions,
    inspections,
    training,
    hotFolder,
    emit: (event) => events.push(event),
    options: { home, shell: 'browser-host', appVersion: '9.9.9-test' },
    log,
    applyRetention: fakes.applyRetention,
    mqtt: { status: () => MQTT_OFF, reconfigure: fakes.mqttReconfigure },
    line,
    runtime: { tfjsBackend: 'wasm (test)', cores: 2, onnxExecution: () => ({ provider: 'cpu', fallbacks: ['cuda not installed'] }) },
  };
  const handlers = createHandlers(ctx);

  /** A method called as the dispatcher calls it; a success is also checked against the method's output schema. */
  async function call<M extends MethodName>(clientId: string, method: M, input: MethodInput<M>): Promise<ApiResult<MethodOutput<M>>> {
    const parsed = STATION_API[method].input.safeParse(input);
    if (!parsed.success)
      return { ok: false, error: { code: 'invalid-request', message: parsed.error.issues.map((i) => i.message).join('; ') } };
    try {
      const value = await (handlers[method] as (clientId: string, input: unknown) => unknown)(clientId, parsed.data);
      expect(STATION_API[method].output.safeParse(value).success).toBe(true);
      return { ok: true, value: value as MethodOutput<M> };
    } catch (error) {
      return { ok: false, error: apiErrorBody(error) };
    }
  }

  /** First-run setup through the handler: supervisor sam (PIN 2468), unlocked on SUPERVISOR. */
  async function withSupervisor() {
    expect(await call(SUPERVISOR, 'setup.firstSupervisor', { name: 'sam', pin: '2468' })).toMatchObject({ ok: true });
    return catalog.users.getByName('sam') as NonNullable<ReturnType<typeof catalog.users.getByName>>;
  }

  /** A model version "m-1" (no files: it lists without details) calibrated on `products`. */
  function withModel(products: string[], version = 'm-1') {
    const model = catalog.models.createCandidate({
      version,
      directory: path.join(paths.modelsDir, version),
      backbone: 'mobilenetv2',
      textTower: 'test',
      config: { preset: 'fast' },
      fileHashes: {},
    });
    catalog.models.setCalibration(
      model.id,
      products.map((name) => ({
        classId: (catalog.classes.getByName(name) ?? catalog.classes.create(name)).id,
        threshold: 1.5,
        thresholdSource: 'held-out' as const,
        targetFalseRejectRate: 0.02,
        normalisation: {},
      })),
    );
    return model;
  }

  /** An inspection of `product` recorded straight in the catalogue. */
  function withInspection(product: string, verdict: 'pass' | 'fail' = 'fail', at = '2026-11-02T08:00:00.000Z') {
    const model = catalog.models.getByVersion('m-1') ?? withModel([product]);
    const classId = (catalog.classes.getByName(product) ?? catalog.classes.create(product)).id;
    return catalog.inspections.record({
      at,
      station: 'line 4',
      operatorId: null,
      classId,
      imagePath: path.join(home, 'images', 'x.png'),
      imageSha256: 'a'.repeat(64),
      score: verdict === 'fail' ? 2 : 1,
      threshold: 1.5,
      verdict,
      modelVersionId: model.id,
      anomalyMapPath: null,
      overlayPath: null,
      fileName: 'x.png',
      nearestClass: product,
      latencyMs: 12,
      source: 'camera',
      classWarning: false,
      regions: [],
    });
  }

  const auditActions = () => catalog.audit.list({ limit: 1000 }).map((e) => `${e.actor}:${e.action}`);

  return {
    home,
    paths,
    catalog,
    sessions,
    events,
    activeProducts,
    fakes,
    line,
    handlers,
    call,
    withSupervisor,
    withModel,
    withInspection,
    auditActions,
  };
}

let h: ReturnType<typeof makeHarness>;
beforeEach(() => {
  h = makeHarness();
});
afterEach(async () => {
  await h.line.close();
  h.catalog.close();
});

const png = (shade: number) =>
  sharp(Buffer.alloc(8 * 8 * 3, shade), { raw: { width: 8, height: 8, channels: 3 } })
    .png()
    .toBuffer();
const MQTT_OFF = { enabled: false, connected: false, backlog: 0, sent: 0, undelivered: 0, lastError: null };

const inspectionResult = (id: number): InspectionResult => ({
  id,
  at: '2026-11-02T08:00:00.000Z',
  product: 'gear',
  fileName: 'cam.png',
  source: 'camera',
  verdict: 'pass',
  score: 1,
  threshold: 2,
  normalisedScore: 0.3,
  scoreSpread: 1.25,
  modelVersion: 'm-1',
  operator: null,
  regions: [],
  classWarning: false,
  nearestProduct: 'gear',
  latencyMs: 10,
  review: null,
  image: `inspection/${id}/image`,
  overlay: null,
  map: null,
  imagesNote: null,
});

describe('API handlers: the set', () => {
  it('has one handler for every method of the API, and no other', () => {
    expect(Object.keys(h.handlers).sort()).toEqual([...METHOD_NAMES].sort());
  });
});

describe('API handlers: authorisation', () => {
  // Valid input for every handler that acts as the unlocked supervisor.
  const supervisorCalls: { [M in MethodName]?: MethodInput<M> } = {
    'products.create': { name: 'gear' },
    'products.importImages': { product: 'gear', files: [{ fileName: 'a.png', data: 'AAAA' }] },
    'products.importDefects': { product: 'gear', files: [{ fileName: 'a.png', data: 'AAAA' }] },
    'history.addAsDefect': { id: 1 },
    'models.validate': { version: 'm-1' },
    'training.start': { preset: 'fast' },
    'training.cancel': {},
    'models.promote': { version: 'm-1' },
    'models.setThreshold': { version: 'm-1', product: 'gear', threshold: 2 },
    'settings.set': { stationName: 'line 9' },
    'users.create': { name: 'olga', role: 'operator', pin: null },
    'users.setPin': { name: 'sam', pin: '1357' },
  };

  it.each(Object.keys(supervisorCalls) as MethodName[])(
    '%s refuses a connection without an unlocked supervisor, and changes nothing',
    async (method) => {
      await h.withSupervisor();
      h.withModel(['gear']);
      const before = h.auditActions();
      const input = supervisorCalls[method] as MethodInput<typeof method>;
      expect(await h.call(OPERATOR, method, input)).toMatchObject({
        ok: false,
        error: { code: 'not-authorised', message: expect.stringMatching(/supervisor/) },
      });
      h.sessions.lock(SUPERVISOR);
      expect(await h.call(SUPERVISOR, method, input)).toMatchObject({ ok: false, error: { code: 'not-authorised' } });
      expect(h.auditActions()).toEqual(before);
      expect(h.catalog.users.getByName('olga')).toBeUndefined();
      expect(h.fakes.trainingStart).not.toHaveBeenCalled();
      expect(h.fakes.trainingCancel).not.toHaveBeenCalled();
      expect(h.fakes.invalidate).not.toHaveBeenCalled();
    },
  );

  it('refuses a session whose supervisor is no longer in the catalogue', async () => {
    h.sessions.unlock('tab-ghost', { id: 999, name: 'ghost' });
    expect(await h.call('tab-ghost', 'products.create', { name: 'gear' })).toMatchObject({ ok: false, error: { code: 'not-authorised' } });
    expect(h.catalog.classes.getByName('gear')).toBeUndefined();
  });
});

describe('API handlers: station and sessions', () => {
  it('station.info describes the station, and asks for setup until a supervisor exists', async () => {
    expect(await h.call(OPERATOR, 'station.info', {})).toEqual({
      ok: true,
      value: {
        appVersion: '9.9.9-test',
        stationName: expect.any(String),
        dataFolder: h.paths.home,
        runtime: {
          tfjsBackend: 'wasm (test)',
          featureRuntime: 'fake runtime',
          onnx: { provider: 'cpu', fallbacks: ['cuda not installed'] },
          cores: 2,
        },
        activeModel: null,
        session: { operator: null, supervisor: null },
        shell: 'browser-host',
        needsSetup: true,
      },
    });
    await h.withSupervisor();
    h.catalog.models.promote(h.withModel(['gear']).id);
    expect(await h.call(OPERATOR, 'station.info', {})).toMatchObject({ ok: true, value: { needsSetup: false, activeModel: 'm-1' } });
    expect(await h.call(OPERATOR, 'station.info', { extra: 1 } as never)).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
  });

  it('setup.firstSupervisor creates and unlocks the first supervisor once', async () => {
    expect(await h.call(SUPERVISOR, 'setup.firstSupervisor', { name: 'sam', pin: '12' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request' },
    });
    expect(await h.call(SUPERVISOR, 'setup.firstSupervisor', { name: 'sam', pin: '2468' })).toMatchObject({
      ok: true,
      value: { operator: null, supervisor: { name: 'sam' } },
    });
    expect(h.catalog.users.getByName('sam')).toMatchObject({ role: 'supervisor', hasPin: true });
    expect(h.auditActions()).toEqual(['sam:setup.first-supervisor']);
    expect(await h.call(OPERATOR, 'setup.firstSupervisor', { name: 'eve', pin: '1111' })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    expect(h.catalog.users.getByName('eve')).toBeUndefined();
    expect(h.sessions.supervisor(OPERATOR)).toBeNull();
  });

  it('session.setOperator names a user who has a PIN (every supervisor) only with that PIN, audit-logged', async () => {
    const sam = await h.withSupervisor();
    const pia = h.catalog.users.create('pia', 'operator', '8642');
    for (const name of ['sam', 'pia']) {
      expect(await h.call(OPERATOR, 'session.setOperator', { name })).toMatchObject({
        ok: false,
        error: { code: 'not-authorised', message: expect.stringMatching(/has a PIN: enter it/) },
      });
      expect(await h.call(OPERATOR, 'session.setOperator', { name, pin: '0000' })).toMatchObject({
        ok: false,
        error: { code: 'not-authorised' },
      });
    }
    expect(h.sessions.operator(OPERATOR)).toBeNull();
    expect(await h.call(OPERATOR, 'session.setOperator', { name: 'Pia', pin: '8642' })).toMatchObject({
      ok: true,
      value: { operator: 'pia' },
    });
    expect(h.sessions.operator(OPERATOR)).toEqual({ id: pia.id, name: 'pia' });
    expect(h.auditActions()).toContain('pia:operator.select');
    expect(h.auditActions()).toContain('sam:auth.refused');
    expect(sam.hasPin).toBe(true);
  });

  it("session.setOperator names an active user as the connection's operator, or none", async () => {
    const olga = h.catalog.users.create('olga', 'operator');
    expect(await h.call(OPERATOR, 'session.setOperator', { name: 'olga' })).toEqual({
      ok: true,
      value: { operator: 'olga', supervisor: null },
    });
    expect(h.sessions.operator(OPERATOR)).toEqual({ id: olga.id, name: 'olga' });
    expect(await h.call(OPERATOR, 'session.setOperator', { name: null })).toEqual({
      ok: true,
      value: { operator: null, supervisor: null },
    });
    expect(await h.call(OPERATOR, 'session.setOperator', { name: 'nobody' })).toMatchObject({
      ok: false,
      error: { code: 'not-found', message: 'No active user named "nobody"' },
    });
    // Names in any case are one account.
    expect(await h.call(OPERATOR, 'session.setOperator', { name: 'OLGA' })).toMatchObject({ ok: true, value: { operator: 'olga' } });
    await h.call(OPERATOR, 'session.setOperator', { name: null });
    h.catalog.users.setDisabled(olga.id, true);
    expect(await h.call(OPERATOR, 'session.setOperator', { name: 'olga' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await h.call(OPERATOR, 'session.setOperator', { name: '' })).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(h.sessions.operator(OPERATOR)).toBeNull();
  });

  it('session.unlock unlocks a supervisor with the right PIN only; session.lock locks again', async () => {
    await h.withSupervisor();
    h.catalog.users.create('olga', 'operator', '1111');
    expect(await h.call(OPERATOR, 'session.unlock', { name: 'sam', pin: '0000' })).toMatchObject({
      ok: false,
      error: { code: 'not-authorised' },
    });
    expect(await h.call(OPERATOR, 'session.unlock', { name: 'olga', pin: '1111' })).toMatchObject({
      ok: false,
      error: { code: 'not-authorised' },
    }); // not a supervisor
    expect(await h.call(OPERATOR, 'session.unlock', { name: 'sam' } as never)).toMatchObject({
      ok: false,
      error: { code: 'invalid-request' },
    });
    expect(h.sessions.supervisor(OPERATOR)).toBeNull();
    expect(await h.call(OPERATOR, 'session.unlock', { name: 'sam', pin: '2468' })).toMatchObject({
      ok: true,
      value: { supervisor: { name: 'sam' } },
    });
    expect(h.auditActions()).toContain('sam:auth.unlock');
    expect(await h.call(OPERATOR, 'session.lock', {})).toEqual({ ok: true, value: { operator: null, supervisor: null } });
    expect(h.sessions.supervisor(OPERATOR)).toBeNull();
  });
});

describe('API handlers: products', () => {
  it('products.list gives counts, tail flags and whether the active model covers each', async () => {
    await h.withSupervisor();
    for (const name of ['gear', 'plate']) h.catalog.classes.create(name);
    h.activeProducts.add('gear');
    expect(await h.call(OPERATOR, 'products.list', {})).toMatchObject({
      ok: true,
      value: [
        { name: 'gear', goodImages: 0, inActiveModel: true },
        { name: 'plate', goodImages: 0, inActiveModel: false },
      ],
    });
  });

  it('products.create creates a product for the supervisor, audit-logged, and refuses a taken or bad name', async () => {
    await h.withSupervisor();
    expect(await h.call(SUPERVISOR, 'products.create', { name: 'gear', displayName: ' Gear wheel ' })).toEqual({
      ok: true,
      value: {
        id: expect.any(Number),
        name: 'gear',
        displayName: 'Gear wheel',
        goodImages: 0,
        labelledDefects: 0,
        tail: true,
        inActiveModel: false,
        untrainedGoodImages: 0,
      },
    });
    expect(h.auditActions()).toContain('sam:product.create');
    expect(await h.call(SUPERVISOR, 'products.create', { name: 'gear' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await h.call(SUPERVISOR, 'products.create', { name: 'Widget A' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request' },
    });
    // The catalogue applies the same rule to a name that did not pass the schema.
    expect(
      await Promise.resolve()
        .then(() => h.handlers['products.create'](SUPERVISOR, { name: 'Widget A' }))
        .then(
          () => 'created',
          (e: unknown) => apiErrorBody(e).code,
        ),
    ).toBe('invalid-request');
    expect(h.catalog.classes.listWithCounts().map((c) => c.name)).toEqual(['gear']);
  });

  it('products.importImages stores good images, skips duplicates and refuses broken files by name', async () => {
    await h.withSupervisor();
    h.catalog.classes.create('gear');
    const [a, b] = [(await png(100)).toString('base64'), (await png(200)).toString('base64')];
    const first = await h.call(SUPERVISOR, 'products.importImages', {
      product: 'gear',
      files: [
        { fileName: 'a.png', data: a },
        { fileName: 'b.png', data: b },
        { fileName: 'notes.png', data: Buffer.from('not an image').toString('base64') },
      ],
    });
    expect(first).toMatchObject({
      ok: true,
      value: {
        added: 2,
        duplicates: [],
        rejected: [{ fileName: 'notes.png', reason: 'the file is not a PNG, JPEG, BMP, TIFF or WebP image' }],
      },
    });
    expect(
      await h.call(SUPERVISOR, 'products.importImages', { product: 'gear', files: [{ fileName: 'a-again.png', data: a }] }),
    ).toMatchObject({ ok: true, value: { added: 0, duplicates: ['a-again.png'] } });
    const samples = h.catalog.samples.list(h.catalog.classes.getByName('gear')?.id as number);
    expect(samples).toHaveLength(2);
    for (const s of samples) expect(s.path.startsWith(path.join(h.paths.imagesDir, 'products') + path.sep)).toBe(true);
    expect(await h.call(SUPERVISOR, 'products.importImages', { product: 'plate', files: [{ fileName: 'a.png', data: a }] })).toMatchObject({
      ok: false,
      error: { code: 'not-found', message: 'No product named "plate"' },
    });
    expect(await h.call(SUPERVISOR, 'products.importImages', { product: 'gear', files: [] })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request' },
    });
  });

  it('products.importDefects keeps images of defective parts apart: labelled defects for validation, never trained on', async () => {
    await h.withSupervisor();
    h.catalog.classes.create('gear');
    const defect = (await png(30)).toString('base64');
    expect(
      await h.call(SUPERVISOR, 'products.importDefects', { product: 'gear', files: [{ fileName: 'crack.png', data: defect }] }),
    ).toEqual({
      ok: true,
      value: { added: 1, duplicates: [], rejected: [] },
    });
    const gear = h.catalog.classes.getByName('gear')?.id as number;
    expect(h.catalog.samples.list(gear, { split: 'train', label: 'good' })).toHaveLength(0);
    expect(h.catalog.samples.list(gear, { split: 'validation', label: 'defect' })).toHaveLength(1);
    expect(await h.call(OPERATOR, 'products.list', {})).toMatchObject({
      ok: true,
      value: [{ name: 'gear', goodImages: 0, labelledDefects: 1 }],
    });
    expect(h.auditActions()).toContain('sam:product.import-defects');
  });
});

describe('API handlers: inspection and the hot folder', () => {
  it('inspect.image hands the decoded bytes to the inspection service with the station, operator and source, and publishes the result', async () => {
    const olga = h.catalog.users.create('olga', 'operator');
    await h.call(OPERATOR, 'session.setOperator', { name: 'olga' });
    h.catalog.settings.setMany({ stationName: 'line 4' });
    h.fakes.inspectBytes.mockResolvedValue(inspectionResult(7));
    const bytes = await png(128);
    const result = await h.call(OPERATOR, 'inspect.image', {
      product: 'gear',
      source: 'camera',
      fileName: 'cam.png',
      data: bytes.toString('base64'),
    });
    expect(result).toEqual({ ok: true, value: inspectionResult(7) });
    expect(h.fakes.inspectBytes).toHaveBeenCalledTimes(1);
    const [sent, fileName, product, context] = h.fakes.inspectBytes.mock.calls[0] as Parameters<InspectionService['inspectBytes']>;
    expect(sent.equals(bytes)).toBe(true);
    expect([fileName, product, context]).toEqual(['cam.png', 'gear', { station: 'line 4', operatorId: olga.id, source: 'camera' }]);
    expect(h.events).toEqual([{ event: 'inspection', payload: inspectionResult(7) }]);
  });

  it("inspect.image passes the service's refusals on and publishes nothing", async () => {
    h.fakes.inspectBytes.mockRejectedValue(new DomainError('no-model', 'No model is active yet'));
    const data = (await png(128)).toString('base64');
    expect(await h.call(OPERATOR, 'inspect.image', { product: 'gear', source: 'import', fileName: 'a.png', data })).toEqual({
      ok: false,
      error: { code: 'no-model', message: 'No model is active yet' },
    });
    h.fakes.inspectBytes.mockRejectedValue(new DomainError('busy', 'Too many inspections waiting'));
    expect(await h.call(OPERATOR, 'inspect.image', { product: 'gear', source: 'import', fileName: 'a.png', data })).toMatchObject({
      ok: false,
      error: { code: 'busy' },
    });
    expect(
      await h.call(OPERATOR, 'inspect.image', { product: 'gear', source: 'hot-folder' as 'camera', fileName: 'a.png', data }),
    ).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(await h.call(OPERATOR, 'inspect.image', { product: 'gear', source: 'import', fileName: '../a.png', data })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request' },
    });
    expect(h.fakes.inspectBytes).toHaveBeenCalledTimes(2);
    expect(h.events).toEqual([]);
  });

  it('hotFolder.start watches only for a product the active model covers; status and stop pass through', async () => {
    expect(await h.call(OPERATOR, 'hotFolder.start', { product: 'gear' })).toMatchObject({
      ok: false,
      error: { code: 'no-model', message: expect.stringMatching(/retrain and promote/) },
    });
    expect(h.fakes.hotFolderStart).not.toHaveBeenCalled();
    h.activeProducts.add('gear');
    expect(await h.call(OPERATOR, 'hotFolder.start', { product: 'gear' })).toMatchObject({
      ok: true,
      value: { watching: true, product: 'gear' },
    });
    expect(h.fakes.hotFolderStart).toHaveBeenCalledWith('gear', null);
    // The folder's results go to the operator selected where watching was started.
    const olga = h.catalog.users.create('olga', 'operator');
    await h.call(OPERATOR, 'session.setOperator', { name: 'olga' });
    await h.call(OPERATOR, 'hotFolder.start', { product: 'gear' });
    expect(h.fakes.hotFolderStart).toHaveBeenLastCalledWith('gear', { id: olga.id, name: 'olga' });
    expect(await h.call(OPERATOR, 'hotFolder.status', {})).toEqual({ ok: true, value: HOT_FOLDER_IDLE });
    expect(await h.call(OPERATOR, 'hotFolder.stop', {})).toEqual({ ok: true, value: HOT_FOLDER_IDLE });
    expect(h.fakes.hotFolderStop).toHaveBeenCalledTimes(1);
    expect(await h.call(OPERATOR, 'hotFolder.start', { product: 'Gear!' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request' },
    });
  });
});

describe('API handlers: history and reports', () => {
  it('history.list pages and filters the inspections, newest first', async () => {
    const rows = [
      h.withInspection('gear', 'pass', '2026-11-01T08:00:00.000Z'),
      h.withInspection('gear', 'fail', '2026-11-02T08:00:00.000Z'),
      h.withInspection('gear', 'fail', '2026-11-03T08:00:00.000Z'),
    ];
    const page = await h.call(OPERATOR, 'history.list', { page: 0, pageSize: 2, product: 'gear', verdict: 'fail', from: null, to: null });
    expect(page).toMatchObject({
      ok: true,
      value: { total: 2, rows: [{ id: rows[2]?.id, verdict: 'fail', product: 'gear', modelVersion: 'm-1' }, { id: rows[1]?.id }] },
    });
    expect(
      await h.call(OPERATOR, 'history.list', { page: 1, pageSize: 2, product: null, verdict: null, from: null, to: null }),
    ).toMatchObject({ ok: true, value: { total: 3, rows: [{ id: rows[0]?.id }] } });
    expect(
      await h.call(OPERATOR, 'history.list', { page: -1, pageSize: 2, product: null, verdict: null, from: null, to: null }),
    ).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
  });

  it('history.get gives one inspection, or not-found', async () => {
    const row = h.withInspection('gear');
    expect(await h.call(OPERATOR, 'history.get', { id: row.id })).toMatchObject({
      ok: true,
      value: { id: row.id, product: 'gear', image: `inspection/${row.id}/image`, review: null },
    });
    expect(await h.call(OPERATOR, 'history.get', { id: row.id + 1 })).toEqual({
      ok: false,
      error: { code: 'not-found', message: `No inspection #${row.id + 1}` },
    });
    expect(await h.call(OPERATOR, 'history.get', { id: 0 })).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
  });

  it('history.review marks an inspection, audit-logged under whoever is at the connection', async () => {
    const row = h.withInspection('gear');
    expect(await h.call(OPERATOR, 'history.review', { id: row.id, review: 'false-reject' })).toMatchObject({
      ok: true,
      value: { id: row.id, review: 'false-reject' },
    });
    h.catalog.users.create('olga', 'operator');
    await h.call(OPERATOR, 'session.setOperator', { name: 'olga' });
    expect(await h.call(OPERATOR, 'history.review', { id: row.id, review: null })).toMatchObject({ ok: true, value: { review: null } });
    expect(h.auditActions()).toEqual(['olga:inspection.review', 'olga:operator.select', 'station:inspection.review']);
    expect(await h.call(OPERATOR, 'history.review', { id: row.id + 5, review: 'false-accept' })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
    expect(await h.call(OPERATOR, 'history.review', { id: row.id, review: 'maybe' as 'false-accept' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request' },
    });
  });

  it('history.review refuses a review that contradicts the verdict: no false accept on a FAIL, no false reject on a PASS', async () => {
    const failed = h.withInspection('gear', 'fail');
    const passed = h.withInspection('gear', 'pass');
    expect(await h.call(OPERATOR, 'history.review', { id: failed.id, review: 'false-accept' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request', message: expect.stringMatching(/failed: it can be a false reject, not a false accept/) },
    });
    expect(await h.call(OPERATOR, 'history.review', { id: passed.id, review: 'false-reject' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request' },
    });
    expect(await h.call(OPERATOR, 'history.review', { id: passed.id, review: 'false-accept' })).toMatchObject({ ok: true });
    expect(h.catalog.inspections.get(failed.id)?.review).toBeNull();
  });

  it('reports.count counts the rows a report would hold', async () => {
    h.withInspection('gear', 'pass', '2026-11-01T08:00:00.000Z');
    h.withInspection('gear', 'fail', '2026-11-02T08:00:00.000Z');
    expect(
      await h.call(OPERATOR, 'reports.count', { filter: { from: '2026-11-02T00:00:00.000Z', to: null, product: null, verdict: null } }),
    ).toEqual({ ok: true, value: { rows: 1 } });
    expect(await h.call(OPERATOR, 'reports.count', { filter: { from: null, to: null, product: 'gear', verdict: 'pass' } })).toEqual({
      ok: true,
      value: { rows: 1 },
    });
    expect(
      await h.call(OPERATOR, 'reports.count', { filter: { from: 'yesterday', to: null, product: null, verdict: null } }),
    ).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
  });

  it('reports.summary gives the defect rate per day and the failures per product, with both verdicts whatever the filter says', async () => {
    h.withInspection('gear', 'pass', '2026-11-01T08:00:00.000Z');
    h.withInspection('gear', 'fail', '2026-11-01T09:00:00.000Z');
    h.withInspection('gear', 'fail', '2026-11-02T08:00:00.000Z');
    const filter = { from: null, to: null, product: 'gear', verdict: 'fail' as const };
    expect(await h.call(OPERATOR, 'reports.summary', { filter, utcOffsetMinutes: 60 })).toEqual({
      ok: true,
      value: {
        days: [
          { day: '2026-11-01', inspected: 2, failed: 1 },
          { day: '2026-11-02', inspected: 1, failed: 1 },
        ],
        failures: [{ product: 'gear', reason: 'defect', failed: 2 }],
      },
    });
    expect(await h.call(OPERATOR, 'reports.summary', { filter, utcOffsetMinutes: 5000 })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request' },
    });
  });
});

describe('API handlers: training', () => {
  it("training.start starts a run as the supervisor with the preset and the station's target false-reject rate", async () => {
    const sam = await h.withSupervisor();
    h.catalog.settings.setMany({ targetFalseRejectRate: 0.05 });
    expect(await h.call(SUPERVISOR, 'training.start', { preset: 'fast' })).toMatchObject({ ok: true, value: { state: 'running' } });
    expect(h.fakes.trainingStart).toHaveBeenCalledTimes(1);
    const [who, preset, target] = h.fakes.trainingStart.mock.calls[0] as Parameters<TrainingService['start']>;
    expect([who.id, who.name, preset, target]).toEqual([sam.id, 'sam', 'fast', 0.05]);
    expect(await h.call(SUPERVISOR, 'training.start', { preset: 'huge' as 'fast' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request' },
    });
    h.fakes.trainingStart.mockImplementation(() => {
      throw new DomainError('conflict', 'A training run is in progress already');
    });
    expect(await h.call(SUPERVISOR, 'training.start', { preset: 'standard' })).toEqual({
      ok: false,
      error: { code: 'conflict', message: 'A training run is in progress already' },
    });
  });

  it('training.cancel cancels as the supervisor; training.status gives the current status to anyone', async () => {
    const sam = await h.withSupervisor();
    expect(await h.call(SUPERVISOR, 'training.cancel', {})).toMatchObject({ ok: true, value: { state: 'running' } });
    expect((h.fakes.trainingCancel.mock.calls[0] as Parameters<TrainingService['cancel']>)[0]).toMatchObject({ id: sam.id, name: 'sam' });
    h.fakes.trainingCancel.mockImplementation(() => {
      throw new DomainError('conflict', 'No training run is in progress');
    });
    expect(await h.call(SUPERVISOR, 'training.cancel', {})).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await h.call(OPERATOR, 'training.status', {})).toEqual({ ok: true, value: IDLE });
  });
});

describe('API handlers: a past inspection as a good image', () => {
  it('history.addAsGood adds the stored image to its product once, as a supervisor, audit-logged; refuses what has no image', async () => {
    const row = h.withInspection('gear');
    mkdirSync(path.dirname(row.imagePath), { recursive: true });
    writeFileSync(
      row.imagePath,
      await sharp({ create: { width: 8, height: 8, channels: 3, background: '#777' } })
        .png()
        .toBuffer(),
    );
    expect(await h.call(OPERATOR, 'history.addAsGood', { id: row.id })).toMatchObject({ ok: false, error: { code: 'not-authorised' } });
    await h.withSupervisor();
    expect(await h.call(SUPERVISOR, 'history.addAsGood', { id: row.id })).toEqual({
      ok: true,
      value: { added: 1, duplicates: [], rejected: [] },
    });
    const gear = h.catalog.classes.getByName('gear')?.id as number;
    expect(h.catalog.samples.list(gear, { split: 'train', label: 'good' })).toHaveLength(1);
    expect(h.catalog.inspections.get(row.id)?.review).toBe('false-reject'); // a failed part added as good
    expect(await h.call(SUPERVISOR, 'history.addAsGood', { id: row.id })).toEqual({
      ok: true,
      value: { added: 0, duplicates: ['x.png'], rejected: [] },
    });
    expect(h.auditActions()).toContain('sam:inspection.add-as-good');
    // Nothing outside the station's images folder is read, and a removed image has nothing to add.
    const outside = h.catalog.inspections.record({ ...h.catalog.inspections.get(row.id), imagePath: '/etc/hostname' } as never);
    expect(await h.call(SUPERVISOR, 'history.addAsGood', { id: outside.id })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringMatching(/no stored image/) },
    });
    expect(await h.call(SUPERVISOR, 'history.addAsGood', { id: 999 })).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('history.addAsDefect adds the stored image as a labelled defect and marks a part that passed as a false accept', async () => {
    const row = h.withInspection('gear', 'pass');
    mkdirSync(path.dirname(row.imagePath), { recursive: true });
    writeFileSync(row.imagePath, await png(90));
    await h.withSupervisor();
    expect(await h.call(SUPERVISOR, 'history.addAsDefect', { id: row.id })).toEqual({
      ok: true,
      value: { added: 1, duplicates: [], rejected: [] },
    });
    const gear = h.catalog.classes.getByName('gear')?.id as number;
    expect(h.catalog.samples.list(gear, { split: 'validation', label: 'defect' })).toHaveLength(1);
    expect(h.catalog.samples.list(gear, { split: 'train' })).toHaveLength(0);
    expect(h.catalog.inspections.get(row.id)?.review).toBe('false-accept');
    expect(h.auditActions()).toContain('sam:inspection.add-as-defect');
    expect(await h.call(SUPERVISOR, 'models.validate', { version: 'nope' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });
});

describe('API handlers: models', () => {
  it('models.list lists every version, a model without files without its per-product details', async () => {
    h.withModel(['gear']);
    expect(await h.call(OPERATOR, 'models.list', {})).toMatchObject({
      ok: true,
      value: [{ version: 'm-1', status: 'candidate', preset: 'fast', classes: [], trainSeconds: null }],
    });
  });

  it('models.promote makes a version active, audit-logged, and reloads the inspector', async () => {
    await h.withSupervisor();
    h.withModel(['gear']);
    expect(await h.call(SUPERVISOR, 'models.promote', { version: 'm-1' })).toMatchObject({
      ok: true,
      value: { version: 'm-1', status: 'active', promotedAt: expect.any(String) },
    });
    expect(h.catalog.models.active()?.version).toBe('m-1');
    expect(h.auditActions()).toContain('sam:model.promote');
    expect(h.fakes.invalidate).toHaveBeenCalledTimes(1);
    expect(await h.call(SUPERVISOR, 'models.promote', { version: 'm-404' })).toEqual({
      ok: false,
      error: { code: 'not-found', message: 'No model version "m-404"' },
    });
    expect(await h.call(SUPERVISOR, 'models.promote', { version: '' })).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(h.fakes.invalidate).toHaveBeenCalledTimes(1);
  });

  it("models.setThreshold keeps a supervisor's threshold for a product the model was trained on, marked as the supervisor's, without reloading the model", async () => {
    await h.withSupervisor();
    const model = h.withModel(['gear']);
    h.catalog.classes.create('plate');
    expect(await h.call(SUPERVISOR, 'models.setThreshold', { version: 'm-1', product: 'gear', threshold: 3.25 })).toMatchObject({
      ok: true,
      value: { version: 'm-1' },
    });
    expect(h.catalog.models.calibration(model.id)).toMatchObject([{ threshold: 3.25, thresholdSource: 'supervisor' }]);
    expect(h.auditActions()).toContain('sam:threshold.set');
    expect(h.fakes.invalidate).not.toHaveBeenCalled(); // the next inspection reads it from the catalogue
    expect(await h.call(SUPERVISOR, 'models.setThreshold', { version: 'm-1', product: 'plate', threshold: 1 })).toEqual({
      ok: false,
      error: { code: 'not-found', message: 'Model m-1 was not trained on "plate"' },
    });
    expect(await h.call(SUPERVISOR, 'models.setThreshold', { version: 'm-2', product: 'gear', threshold: 1 })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
    expect(
      await h.call(SUPERVISOR, 'models.setThreshold', { version: 'm-1', product: 'gear', threshold: Number.POSITIVE_INFINITY }),
    ).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(h.catalog.models.calibration(model.id)).toMatchObject([{ threshold: 3.25 }]);
    expect(h.fakes.invalidate).not.toHaveBeenCalled();
  });
});

describe('API handlers: settings and the log', () => {
  it('settings.get gives the defaults on a new station; settings.set changes them, audit-logged', async () => {
    expect(await h.call(OPERATOR, 'settings.get', {})).toMatchObject({
      ok: true,
      value: { hotFolder: null, targetFalseRejectRate: 0.02, retentionDays: null },
    });
    await h.withSupervisor();
    expect(await h.call(SUPERVISOR, 'settings.set', { stationName: 'line 4', captureIntervalSeconds: 5 })).toMatchObject({
      ok: true,
      value: { stationName: 'line 4', captureIntervalSeconds: 5 },
    });
    expect(await h.call(OPERATOR, 'settings.get', {})).toMatchObject({
      ok: true,
      value: { stationName: 'line 4', captureIntervalSeconds: 5 },
    });
    expect(h.auditActions()).toContain('sam:settings.set');
    expect(h.fakes.applyRetention).not.toHaveBeenCalled();
    expect(await h.call(SUPERVISOR, 'settings.set', { targetFalseRejectRate: 0.9 })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request' },
    });
  });

  it('settings.set applies the retention policy at once when it changes', async () => {
    await h.withSupervisor();
    expect(await h.call(SUPERVISOR, 'settings.set', { retentionDays: 30 })).toMatchObject({ ok: true, value: { retentionDays: 30 } });
    expect(await h.call(SUPERVISOR, 'settings.set', { retentionMaxGb: null })).toMatchObject({ ok: true });
    expect(h.fakes.applyRetention).toHaveBeenCalledTimes(2);
  });

  it('settings.set restarts the MQTT feed when its broker or topic changes, and refuses addresses with credentials or wildcard topics', async () => {
    await h.withSupervisor();
    expect(await h.call(SUPERVISOR, 'settings.set', { mqttUrl: 'mqtt://broker.local:1883', mqttTopic: 'plant/line-4' })).toMatchObject({
      ok: true,
      value: { mqttUrl: 'mqtt://broker.local:1883', mqttTopic: 'plant/line-4' },
    });
    expect(h.fakes.mqttReconfigure).toHaveBeenCalledTimes(1);
    await h.call(SUPERVISOR, 'settings.set', { retentionDays: 3 });
    expect(h.fakes.mqttReconfigure).toHaveBeenCalledTimes(1);
    for (const bad of [{ mqttUrl: 'mqtt://user:secret@broker:1883' }, { mqttUrl: 'http://broker' }, { mqttTopic: 'plant/#' }])
      expect(await h.call(SUPERVISOR, 'settings.set', bad)).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(await h.call(OPERATOR, 'line.mqttStatus', {})).toEqual({ ok: true, value: MQTT_OFF });
  });

  it('line.setOpcuaPassword keeps only a salted hash, audit-logged, and says it is set; settings never show it', async () => {
    await h.withSupervisor();
    expect(await h.call(SUPERVISOR, 'line.setOpcuaPassword', { password: 'line-4-secret' })).toEqual({ ok: true, value: { ok: true } });
    const stored = JSON.stringify(h.catalog.settings.all());
    expect(stored).not.toContain('line-4-secret');
    expect(stored).toMatch(/scrypt\$/);
    expect(JSON.stringify(await h.call(OPERATOR, 'settings.get', {}))).not.toMatch(/scrypt|line-4-secret/);
    expect(await h.call(OPERATOR, 'line.opcuaStatus', {})).toMatchObject({
      ok: true,
      value: { enabled: false, passwordSet: true, endpoint: null },
    });
    expect(h.auditActions()).toContain('sam:line.opcua-password-set');
    expect(await h.call(SUPERVISOR, 'line.setOpcuaPassword', { password: 'short' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request' },
    });
    expect(await h.call(OPERATOR, 'line.setOpcuaPassword', { password: 'line-4-secret' })).toMatchObject({
      ok: false,
      error: { code: 'not-authorised' },
    });
  });

  it('line.offerFrames and line.frame: a screen offers, is asked by an event, and only it may answer', async () => {
    const offered = await h.call(OPERATOR, 'line.offerFrames', { offer: true });
    expect(offered).toMatchObject({ ok: true, value: { providerId: expect.any(String), leaseSeconds: expect.any(Number) } });
    const frame = h.line.screenFrames.request('gear', 1_000);
    const request = h.events.find((e) => e.event === 'line.frameRequest');
    expect(request?.payload).toMatchObject({
      providerId: (offered as { value: { providerId: string } }).value.providerId,
      product: 'gear',
    });
    if (request?.event !== 'line.frameRequest') throw new Error('no frame request was sent');
    const { requestId } = request.payload;
    expect(await h.call(SUPERVISOR, 'line.frame', { requestId, data: 'AAAA' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await h.call(OPERATOR, 'line.frame', { requestId, data: 'AAAA' })).toEqual({ ok: true, value: { ok: true } });
    await expect(frame).resolves.toMatchObject({ clientId: OPERATOR });
    expect(await h.call(OPERATOR, 'line.frame', { requestId: '../x', data: 'AAAA' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request' },
    });
    expect(await h.call(OPERATOR, 'line.offerFrames', { offer: false })).toEqual({
      ok: true,
      value: { providerId: null, leaseSeconds: 0 },
    });
    expect(h.line.screenFrames.available()).toBe(false);
  });

  it('settings.set takes an existing folder outside the station as the hot folder, an emptied field as none, and refuses the rest', async () => {
    await h.withSupervisor();
    const drop = tempDir();
    expect(await h.call(SUPERVISOR, 'settings.set', { hotFolder: drop })).toMatchObject({ ok: true, value: { hotFolder: drop } });
    expect(await h.call(SUPERVISOR, 'settings.set', { hotFolder: '  ' })).toMatchObject({ ok: true, value: { hotFolder: null } });
    const inside = path.join(h.home, 'images');
    mkdirSync(inside, { recursive: true });
    for (const [folder, reason] of [
      [inside, /data folder or inside it/],
      [path.join(drop, 'missing'), /does not exist/],
      ['relative/dir', /full path/],
    ] as const) {
      expect(await h.call(SUPERVISOR, 'settings.set', { hotFolder: folder })).toMatchObject({
        ok: false,
        error: { code: 'invalid-request', message: expect.stringMatching(reason) },
      });
    }
    expect(await h.call(OPERATOR, 'settings.get', {})).toMatchObject({ ok: true, value: { hotFolder: null } });
  });

  it('logs.tail gives the newest lines of the station log', async () => {
    expect(await h.call(SUPERVISOR, 'logs.tail', { lines: 2 })).toMatchObject({
      ok: true,
      value: [{ message: 'line 0' }, { message: 'line 1' }],
    });
    expect(h.fakes.logTail).toHaveBeenCalledWith(2);
    expect(await h.call(SUPERVISOR, 'logs.tail', { lines: 501 })).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
  });
});

describe('API handlers: users and the audit log', () => {
  it('users.create adds a user, audit-logged; a taken name is a conflict and a supervisor needs a PIN', async () => {
    await h.withSupervisor();
    expect(await h.call(SUPERVISOR, 'users.create', { name: 'olga', role: 'operator', pin: null })).toEqual({
      ok: true,
      value: { id: expect.any(Number), name: 'olga', role: 'operator', hasPin: false, disabled: false, createdAt: expect.any(String) },
    });
    expect(h.auditActions()).toContain('sam:user.create');
    expect(await h.call(SUPERVISOR, 'users.create', { name: 'olga', role: 'operator', pin: null })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    expect(await h.call(SUPERVISOR, 'users.create', { name: 'kim', role: 'supervisor', pin: null })).toEqual({
      ok: false,
      error: { code: 'invalid-request', message: 'A supervisor needs a PIN' },
    });
    expect(await h.call(SUPERVISOR, 'users.create', { name: 'kim', role: 'admin' as 'operator', pin: null })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request' },
    });
    expect(await h.call(OPERATOR, 'users.list', {})).toMatchObject({
      ok: true,
      value: [
        { name: 'olga', role: 'operator' },
        { name: 'sam', role: 'supervisor', hasPin: true },
      ],
    });
  });

  it("users.setPin changes a user's PIN, audit-logged, or answers not-found", async () => {
    await h.withSupervisor();
    h.catalog.users.create('olga', 'operator');
    expect(await h.call(SUPERVISOR, 'users.setPin', { name: 'olga', pin: '1357' })).toEqual({ ok: true, value: { ok: true } });
    expect(h.catalog.users.authenticate('olga', '1357')).toMatchObject({ name: 'olga' });
    expect(h.auditActions()).toContain('sam:user.set-pin');
    expect(await h.call(SUPERVISOR, 'users.setPin', { name: 'nobody', pin: '1357' })).toEqual({
      ok: false,
      error: { code: 'not-found', message: 'No user named "nobody"' },
    });
    expect(await h.call(SUPERVISOR, 'users.setPin', { name: 'olga', pin: '1' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request' },
    });
  });

  it('audit.list gives the newest entries up to the limit', async () => {
    await h.withSupervisor();
    await h.call(SUPERVISOR, 'products.create', { name: 'gear' });
    expect(await h.call(SUPERVISOR, 'audit.list', { limit: 1 })).toMatchObject({
      ok: true,
      value: [{ actor: 'sam', action: 'product.create', target: 'gear' }],
    });
    expect(await h.call(SUPERVISOR, 'audit.list', { limit: 10 })).toMatchObject({
      ok: true,
      value: [{ action: 'product.create' }, { action: 'setup.first-supervisor' }],
    });
    expect(await h.call(SUPERVISOR, 'audit.list', { limit: 0 })).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
  });
});
