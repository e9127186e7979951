import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { REPORT_COLUMNS } from '../../src/main/reports/csvReport';
import { Catalog } from '../../src/main/catalog/catalog';
import { checkHotFolder } from '../../src/main/services/station/hotFolderLocation';
import { HotFolderService } from '../../src/main/services/station/hotFolderService';
import { openStationService } from '../../src/main/services/station/stationBackend';
import type { StationService } from '../../src/main/services/stationService';
import { stationPaths } from '../../src/main/stationPaths';
import { generateSyntheticDataset } from '../../src/main/synthetic/syntheticDataset';

/**
 * The station service behind every UI, called as the transports call it (no Electron, no HTTP).
 * Every test opens a station of its own in a fresh data folder and sets up what it needs with the
 * fixtures below, so the tests pass in any order (vitest --sequence.shuffle). Only the synthetic
 * images they import are shared, and nothing writes to them.
 */
let home: string;
let data: string;
let service: StationService;
const OPERATOR = 'client-operator';
const SUPERVISOR = 'client-supervisor';

beforeAll(async () => {
  data = mkdtempSync(path.join(os.tmpdir(), 'qa-service-data-'));
  await generateSyntheticDataset({ outDir: data, classes: 1, seed: 1, size: 48, nMax: 4, testGood: 1, testDefectsPerType: 0 });
});
afterAll(() => {
  rmSync(data, { recursive: true, force: true });
});
beforeEach(async () => {
  home = mkdtempSync(path.join(os.tmpdir(), 'qa-service-home-'));
  service = await openStationService({ home, shell: 'browser-host', appVersion: '0.0.0-test' });
});
afterEach(async () => {
  await service.close();
  rmSync(home, { recursive: true, force: true });
});

const goodImages = () => {
  const dir = path.join(data, 'product_00', 'train', 'good');
  return readdirSync(dir).map((f) => ({ fileName: f, data: readFileSync(path.join(dir, f)).toString('base64') }));
};

/** First-run setup: supervisor sam (PIN 2468), unlocked on the SUPERVISOR connection. */
async function withSupervisor(): Promise<void> {
  expect(await service.dispatch(SUPERVISOR, 'setup.firstSupervisor', { name: 'sam', pin: '2468' })).toMatchObject({ ok: true });
}

/** The supervisor and the product "bracket"; with `images`, its good images imported (sample 1 is the first). */
async function withProduct({ images }: { images: boolean }): Promise<void> {
  await withSupervisor();
  expect(await service.dispatch(SUPERVISOR, 'products.create', { name: 'bracket' })).toMatchObject({ ok: true });
  if (images)
    expect(await service.dispatch(SUPERVISOR, 'products.importImages', { product: 'bracket', files: goodImages() })).toMatchObject({
      ok: true,
      value: { added: goodImages().length },
    });
}

/** The log is written through a stream: waits until `message` has reached the file (a fresh station's first lines take a moment). */
async function logged(message: string): Promise<void> {
  const file = path.join(home, 'logs', 'station.log');
  for (let i = 0; i < 100 && !(existsSync(file) && readFileSync(file, 'utf8').includes(JSON.stringify(message))); i++)
    await new Promise((r) => setTimeout(r, 20));
}

/**
 * Three inspections of "bracket" written straight to the catalogue (no model needed): #1 pass, its
 * image outside the station folder; #2 and #3 fail with two regions each, #3 with a formula-like name.
 */
function recordInspections(): void {
  const paths = stationPaths(home);
  const catalog = Catalog.open(paths.catalogFile);
  try {
    const product = catalog.classes.getByName('bracket');
    const model = catalog.models.createCandidate({
      version: 'm-test',
      directory: path.join(home, 'models', 'm-test'),
      backbone: 'mobilenetv2',
      textTower: 't',
      config: {},
      metrics: null,
      fileHashes: {},
      trainingRunId: null,
    });
    for (let i = 0; i < 3; i++) {
      catalog.inspections.record({
        at: `2026-11-0${i + 1}T08:00:00.000Z`,
        station: 'line 4',
        operatorId: null,
        classId: product?.id as number,
        imagePath: i === 0 ? path.join(data, 'outside.png') : path.join(home, 'images', `x${i}.png`),
        imageSha256: 'a'.repeat(64),
        score: 0.5 + i,
        threshold: 1,
        verdict: i > 0 ? 'fail' : 'pass',
        modelVersionId: model.id,
        anomalyMapPath: null,
        overlayPath: null,
        fileName: i === 2 ? '=cmd|calc.png' : `part-${i}.png`,
        nearestClass: null,
        latencyMs: 20,
        source: 'hot-folder',
        classWarning: false,
        scoreSpread: 2,
        regions:
          i > 0
            ? [
                { x: 1, y: 2, width: 3, height: 4, area: 12, peakScore: 2, meanScore: 1.5 },
                { x: 5, y: 5, width: 10, height: 10, area: 80, peakScore: 2, meanScore: 1.5 },
              ]
            : [],
      });
    }
  } finally {
    catalog.close();
  }
}

describe('station service', () => {
  it('refuses unknown methods and malformed input with typed errors', async () => {
    expect(await service.dispatch(OPERATOR, 'station.shutdown', {})).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    expect(await service.dispatch(OPERATOR, 'history.list', { page: -1, pageSize: 10 })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request' },
    });
    expect(await service.dispatch(OPERATOR, 'products.create', { name: '../etc' })).toMatchObject({
      ok: false,
      error: { code: 'not-authorised' },
    });
    expect(await service.dispatch(OPERATOR, 'station.info', { extra: 1 })).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
  });

  it('offers first-run setup until a supervisor exists, then needs the PIN', async () => {
    const info = await service.dispatch(OPERATOR, 'station.info', {});
    expect(info).toMatchObject({ ok: true, value: { needsSetup: true, activeModel: null, shell: 'browser-host' } });
    expect(await service.dispatch(SUPERVISOR, 'setup.firstSupervisor', { name: 'sam', pin: '2468' })).toMatchObject({
      ok: true,
      value: { supervisor: { name: 'sam' } },
    });
    expect(await service.dispatch(OPERATOR, 'setup.firstSupervisor', { name: 'eve', pin: '1111' })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    expect(await service.dispatch(OPERATOR, 'session.unlock', { name: 'sam', pin: '0000' })).toMatchObject({
      ok: false,
      error: { code: 'not-authorised' },
    });
    expect(await service.dispatch(OPERATOR, 'settings.set', { stationName: 'hacked' })).toMatchObject({
      ok: false,
      error: { code: 'not-authorised' },
    });
  });

  it('creates products and imports good images, skipping duplicates and refusing broken files', async () => {
    await withSupervisor();
    expect(await service.dispatch(SUPERVISOR, 'products.create', { name: 'bracket' })).toMatchObject({
      ok: true,
      value: { name: 'bracket', goodImages: 0, tail: true },
    });
    expect(await service.dispatch(SUPERVISOR, 'products.create', { name: 'bracket' })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    const files = goodImages();
    const first = await service.dispatch(SUPERVISOR, 'products.importImages', {
      product: 'bracket',
      files: [...files, { fileName: 'notes.txt', data: Buffer.from('not an image').toString('base64') }],
    });
    expect(first).toMatchObject({ ok: true, value: { added: files.length, duplicates: [], rejected: [{ fileName: 'notes.txt' }] } });
    const again = await service.dispatch(SUPERVISOR, 'products.importImages', { product: 'bracket', files: files.slice(0, 2) });
    expect(again).toMatchObject({ ok: true, value: { added: 0, duplicates: files.slice(0, 2).map((f) => f.fileName) } });
    const list = await service.dispatch(OPERATOR, 'products.list', {});
    expect(list).toMatchObject({ ok: true, value: [{ name: 'bracket', goodImages: files.length, inActiveModel: false }] });
  });

  it('says plainly that inspection needs a trained model', async () => {
    await withProduct({ images: false });
    const [file] = goodImages();
    const result = await service.dispatch(OPERATOR, 'inspect.image', {
      product: 'bracket',
      source: 'import',
      fileName: file?.fileName,
      data: file?.data,
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'no-model', message: expect.stringMatching(/train/) } });
  });

  it('keeps settings, users and an audit log of who did what', async () => {
    await withProduct({ images: true });
    expect(await service.dispatch(OPERATOR, 'session.unlock', { name: 'sam', pin: '0000' })).toMatchObject({ ok: false }); // sam:auth.refused
    expect(await service.dispatch(SUPERVISOR, 'settings.set', { stationName: 'line 4', targetFalseRejectRate: 0.05 })).toMatchObject({
      ok: true,
      value: { stationName: 'line 4', targetFalseRejectRate: 0.05 },
    });
    expect(await service.dispatch(OPERATOR, 'settings.get', {})).toMatchObject({ ok: true, value: { stationName: 'line 4' } });
    expect(await service.dispatch(SUPERVISOR, 'users.create', { name: 'olga', role: 'operator', pin: null })).toMatchObject({ ok: true });
    expect(await service.dispatch(OPERATOR, 'session.setOperator', { name: 'olga' })).toMatchObject({
      ok: true,
      value: { operator: 'olga', supervisor: null },
    });
    const audit = await service.dispatch(SUPERVISOR, 'audit.list', { limit: 50 });
    expect(audit.ok).toBe(true);
    const actions = (audit as { value: { action: string; actor: string }[] }).value.map((e) => `${e.actor}:${e.action}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        'sam:setup.first-supervisor',
        'sam:product.create',
        'sam:product.import',
        'sam:settings.set',
        'sam:user.create',
        'sam:auth.refused',
      ]),
    );
  });

  it("refuses a hot folder that would carry off the station's own files, and anything not a folder", async () => {
    await withSupervisor();
    const parent = mkdtempSync(path.join(os.tmpdir(), 'qa-service-parent-'));
    try {
      const link = path.join(parent, 'link-to-home');
      symlinkSync(home, link);
      const file = path.join(parent, 'a-file.png');
      writeFileSync(file, 'x');
      const refused = {
        [home]: /data folder or inside it/,
        [path.join(home, 'images')]: /data folder or inside it/,
        [link]: /data folder or inside it/,
        [path.dirname(home)]: /contain the station's data folder/,
        [file]: /is a file/,
        [path.join(parent, 'missing')]: /does not exist/,
        'relative/dir': /full path/,
      };
      for (const [folder, reason] of Object.entries(refused)) {
        mkdirSync(path.join(home, 'images'), { recursive: true });
        expect(await service.dispatch(SUPERVISOR, 'settings.set', { hotFolder: folder })).toMatchObject({
          ok: false,
          error: { code: 'invalid-request', message: expect.stringMatching(reason) },
        });
      }
      // A value stored before this check (or by hand) is refused when watching starts.
      const events = { inspected: () => {}, rejected: () => {}, status: () => {} };
      const watcher = new HotFolderService(
        () => home,
        () => Promise.reject(new Error('not reached')),
        events,
        (folder) => checkHotFolder(folder, home),
      );
      await expect(watcher.start('bracket')).rejects.toMatchObject({ kind: 'invalid-input' }); // answered as invalid-request (apiErrorBody)
      expect(watcher.status().watching).toBe(false);
      expect(existsSync(stationPaths(home).catalogFile)).toBe(true);
      const drop = path.join(parent, 'drop');
      mkdirSync(drop);
      expect(await service.dispatch(SUPERVISOR, 'settings.set', { hotFolder: drop })).toMatchObject({
        ok: true,
        value: { hotFolder: drop },
      });
    } finally {
      await service.dispatch(SUPERVISOR, 'settings.set', { hotFolder: null });
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it('keeps a station log in the data folder that supervisors can read', async () => {
    await withSupervisor();
    await logged('station starting');
    expect(await service.dispatch(OPERATOR, 'logs.tail', { lines: 10 })).toMatchObject({ ok: false, error: { code: 'not-authorised' } });
    const tail = await service.dispatch(SUPERVISOR, 'logs.tail', { lines: 500 });
    expect(tail.ok).toBe(true);
    expect((tail as { value: { message: string }[] }).value.map((e) => e.message)).toContain('station starting');
    expect(existsSync(path.join(home, 'logs', 'station.log'))).toBe(true);
  });

  it('streams the CSV report with the columns quality engineers need', async () => {
    await withProduct({ images: false });
    recordInspections();
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const result = await service.writeReport({ from: '2026-11-02T00:00:00.000Z', to: null, product: 'bracket', verdict: 'fail' }, out);
    expect(result).toEqual({ ok: true, value: { rows: 2 } });
    const text = Buffer.concat(chunks).toString('utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const lines = text.slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe(REPORT_COLUMNS.join(','));
    expect(lines).toHaveLength(3);
    // The normalised score and its threshold, then the raw pair: 1.5 against 1 with a spread of 2 is 0.5625.
    expect(lines[1]).toBe('2026-11-02T08:00:00.000Z,line 4,,bracket,part-1.png,FAIL,0.5625,0.5,1.5,1,m-test,2,5,5,10,10,80,hot-folder,');
    expect(lines[2]).toContain(",'=cmd|calc.png,");
    expect(await service.writeReport({ from: 'yesterday' }, new PassThrough())).toMatchObject({
      ok: false,
      error: { code: 'invalid-request' },
    });
  });

  it('serves images only by reference and only from inside the station folder', async () => {
    await withProduct({ images: true });
    recordInspections();
    expect(await service.resolveImage('inspection/1/image')).toBeNull(); // that row's image lies outside the station folder
    expect(await service.resolveImage('inspection/2/image')).toBe(path.join(home, 'images', 'x1.png'));
    expect(await service.resolveImage('../../etc/passwd')).toBeNull();
    expect(await service.resolveImage('sample/1')).toMatch(new RegExp(`^${home.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });
});

describe('PIN guessing', () => {
  it('locks a supervisor name after repeated wrong PINs, even for the right PIN', async () => {
    await withSupervisor();
    for (let i = 0; i < 5; i++)
      expect(await service.dispatch('guesser', 'session.unlock', { name: 'sam', pin: `00${10 + i}` })).toMatchObject({
        ok: false,
        error: { code: 'not-authorised' },
      });
    const locked = await service.dispatch('guesser', 'session.unlock', { name: 'sam', pin: '2468' });
    expect(locked).toMatchObject({ ok: false, error: { code: 'not-authorised', message: expect.stringMatching(/Too many wrong PINs/) } });
    // A flood of other refusals neither lifts the lock nor floods the audit log.
    const rowsBefore = Catalog.open(stationPaths(home).catalogFile);
    const countBefore = rowsBefore.audit.list({ limit: 100000 }).length;
    rowsBefore.close();
    for (let i = 0; i < 1500; i++) await service.dispatch(`guesser-${i % 300}`, 'settings.set', { stationName: 'x' }); // a fresh connection id does not earn a fresh row
    for (let i = 0; i < 100; i++) await service.dispatch('guesser', 'session.unlock', { name: `nobody-${i}`, pin: '0000' }); // nor does a made-up name
    for (let i = 0; i < 50; i++) await service.dispatch('guesser', 'session.unlock', { name: 'sam', pin: '2468' });
    expect(await service.dispatch('guesser', 'session.unlock', { name: 'sam', pin: '2468' })).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/Too many wrong PINs/) },
    });
    const rowsAfter = Catalog.open(stationPaths(home).catalogFile);
    const added = rowsAfter.audit.list({ limit: 100000 }).length - countBefore;
    rowsAfter.close();
    expect(added).toBeLessThanOrEqual(3);
  });
});
