import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Catalog } from '../../../src/main/catalog/catalog';
import { hashPin, verifyPin } from '../../../src/main/catalog/repositories/pinHash';
import type { NewInspection } from '../../../src/main/catalog/repositories/inspectionRepository';

let catalog: Catalog;
beforeEach(() => {
  catalog = Catalog.open(':memory:');
});
afterEach(() => catalog.close());

const sha = (c: string) => c.repeat(64);

function candidate(version: string) {
  return catalog.models.createCandidate({
    version,
    directory: `models/${version}`,
    backbone: 'mobilenetv2',
    textTower: 'builtin',
    config: { preset: 'fast' },
    fileHashes: { 'weights.bin': sha('f') },
  });
}

describe('product classes and samples', () => {
  it('counts good training images per class, largest first, and skips duplicates by hash', () => {
    const bracket = catalog.classes.create('bracket', 'Bracket');
    const gasket = catalog.classes.create('gasket');
    const add = (classId: number, c: string, split: 'train' | 'test' = 'train') => ({
      classId,
      path: `${c}.png`,
      sha256: sha(c),
      split,
      label: 'good' as const,
      source: 'import' as const,
    });
    const first = catalog.samples.addMany([add(bracket.id, 'a'), add(bracket.id, 'b'), add(gasket.id, 'c'), add(gasket.id, 'd', 'test')]);
    expect(first.added).toHaveLength(4);
    const again = catalog.samples.addMany([add(bracket.id, 'a'), add(bracket.id, 'e')]);
    expect(again.added.map((s) => s.sha256)).toEqual([sha('e')]);
    expect(again.duplicates.map((s) => s.sha256)).toEqual([sha('a')]);
    expect(catalog.classes.listWithCounts().map((c) => [c.name, c.goodTrainImages])).toEqual([
      ['bracket', 3],
      ['gasket', 1],
    ]);
    expect(catalog.samples.list(gasket.id, { split: 'test' })).toHaveLength(1);
    expect(catalog.samples.countByClass({ split: 'train', label: 'good' })).toEqual(
      new Map([
        [bracket.id, 3],
        [gasket.id, 1],
      ]),
    );
    expect(catalog.samples.countByClass({ split: 'validation', label: 'defect' })).toEqual(new Map());
    const added = catalog.samples.get(again.added[0]?.id as number)?.addedAt as string;
    expect(catalog.samples.countByClass({ split: 'train', label: 'good', addedAfter: added })).toEqual(new Map());
    expect(catalog.samples.countByClass({ split: 'train', label: 'good', addedAfter: '2000-01-01T00:00:00.000Z' }).get(bracket.id)).toBe(3);
  });

  it('rejects bad product names and bad sample fields', () => {
    expect(() => catalog.classes.create('Bad Name!')).toThrow(/lower-case/);
    const c = catalog.classes.create('ok');
    expect(() =>
      catalog.samples.addMany([{ classId: c.id, path: 'x', sha256: 'short', split: 'train', label: 'good', source: 'import' }]),
    ).toThrow(/CHECK/);
    expect(() =>
      catalog.samples.addMany([{ classId: 999, path: 'x', sha256: sha('a'), split: 'train', label: 'good', source: 'import' }]),
    ).toThrow(/FOREIGN KEY/);
  });
});

describe('users, PINs and the audit log', () => {
  it('stores PINs as salted scrypt hashes and authenticates only the right PIN', () => {
    const boss = catalog.users.create('Dana', 'supervisor', '4821');
    expect(boss.hasPin).toBe(true);
    const stored = (catalog.db.prepare('SELECT pin_hash FROM users WHERE id = ?').get(boss.id) as { pin_hash: string }).pin_hash;
    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(stored).not.toContain('4821');
    expect(catalog.users.authenticate('Dana', '4821')?.id).toBe(boss.id);
    expect(catalog.users.authenticate('Dana', '4822')).toBeUndefined();
    expect(catalog.users.authenticate('Nobody', '4821')).toBeUndefined();
    catalog.users.setDisabled(boss.id, true);
    expect(catalog.users.authenticate('Dana', '4821')).toBeUndefined();
  });

  it('salts: the same PIN hashes differently twice', () => {
    const a = hashPin('1234');
    const b = hashPin('1234');
    expect(a).not.toBe(b);
    expect(verifyPin('1234', a) && verifyPin('1234', b)).toBe(true);
    expect(verifyPin('1234', 'garbage')).toBe(false);
    expect(() => hashPin('12')).toThrow(/4 to 12 digits/);
  });

  it('offers passphrases beside PINs, without control characters', () => {
    const phrase = hashPin('correct horse battery');
    expect(verifyPin('correct horse battery', phrase)).toBe(true);
    expect(verifyPin('correct horse batterY', phrase)).toBe(false);
    expect(() => hashPin('short')).toThrow(/passphrase of 8 to 128/);
    expect(() => hashPin('line\nbreak here')).toThrow(/passphrase/);
    expect(() => hashPin('x'.repeat(129))).toThrow(/passphrase/);
  });

  it.runIf(process.platform !== 'win32')('keeps the catalogue and its folder private to the user', () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'qa-private-')), 'home');
    mkdirSync(dir, { mode: 0o755 });
    const file = path.join(dir, 'catalog.sqlite');
    const opened = Catalog.open(file);
    opened.users.create('Kim', 'operator');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const f of [file, `${file}-wal`]) expect(statSync(f).mode & 0o077).toBe(0);
    opened.close();
    rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  it('requires a PIN for supervisors', () => {
    expect(() => catalog.users.create('Sam', 'supervisor')).toThrow(/needs a PIN/);
    expect(catalog.users.create('Olu', 'operator').hasPin).toBe(false);
    // One account whatever the case: "olu" is Olu, and a second "OLU" is refused.
    expect(catalog.users.getByName('olu')?.name).toBe('Olu');
    expect(() => catalog.users.create('OLU', 'operator')).toThrow(/exists already/);
  });

  it('records who did what, newest first, filterable by action', () => {
    const user = catalog.users.create('Dana', 'supervisor', '4821');
    catalog.audit.record({ userId: user.id, actor: 'Dana', action: 'product.create', target: 'bracket' });
    catalog.audit.record({ userId: user.id, actor: 'Dana', action: 'model.promote', target: 'm-1', details: { from: 'm-0' } });
    expect(catalog.audit.list().map((e) => e.action)).toEqual(['model.promote', 'product.create']);
    expect(catalog.audit.list({ action: 'model.promote' })[0]?.details).toEqual({ from: 'm-0' });
  });
});

describe('model versions', () => {
  it('starts as candidate; promote keeps exactly one active and can roll back', () => {
    const m1 = candidate('m-1');
    const m2 = candidate('m-2');
    expect(m1.status).toBe('candidate');
    catalog.models.promote(m1.id);
    catalog.models.promote(m2.id);
    expect(catalog.models.active()?.version).toBe('m-2');
    expect(catalog.models.get(m1.id)?.status).toBe('retired');
    catalog.models.promote(m1.id); // roll back
    expect(catalog.models.active()?.version).toBe('m-1');
    expect(catalog.models.get(m2.id)?.status).toBe('retired');
    expect(() => catalog.db.prepare("UPDATE model_versions SET status = 'active'").run()).toThrow(/UNIQUE/);
  });

  it('keeps per-class thresholds, normalisation and pseudo-name embeddings with the version', () => {
    const cls = catalog.classes.create('bracket');
    const m = candidate('m-1');
    catalog.models.setCalibration(m.id, [
      {
        classId: cls.id,
        threshold: 0.42,
        thresholdSource: 'held-out',
        targetFalseRejectRate: 0.01,
        normalisation: { mean: 0.1, std: 0.02 },
      },
    ]);
    // A second write for the same class replaces the first, every field of it.
    const tuned = {
      classId: cls.id,
      threshold: 0.5,
      thresholdSource: 'supervisor' as const,
      targetFalseRejectRate: 0.02,
      normalisation: { mean: 0.1, std: 0.02 },
      carriedFrom: { version: 'm-0', threshold: 0.7 },
    };
    catalog.models.setCalibration(m.id, [tuned]);
    expect(catalog.models.calibration(m.id)).toEqual([tuned]);
    const data = new Float32Array([0.5, -1.25, 3e-8, 1e6, -0, Math.PI]);
    catalog.models.savePseudoNames(m.id, [{ classId: cls.id, tokens: 2, dim: 3, data }]);
    const [loaded] = catalog.models.pseudoNames(m.id);
    expect(loaded?.tokens).toBe(2);
    expect([...(loaded?.data ?? [])]).toEqual([...data]);
    expect(() => catalog.models.savePseudoNames(m.id, [{ classId: cls.id, tokens: 2, dim: 4, data }])).toThrow(/values for 2x4/);
  });
});

describe('training runs', () => {
  it('moves through queued, running and finished with a loss history', () => {
    const run = catalog.trainingRuns.create({ preset: 'fast', seed: 1 });
    expect(run.status).toBe('queued');
    catalog.trainingRuns.markRunning(run.id);
    const progress = { phase: 'phase1', epoch: 1, epochs: 10, step: 3, steps: 20, etaSeconds: 42 };
    catalog.trainingRuns.reportProgress(run.id, progress, { vae: 0.5 });
    catalog.trainingRuns.reportProgress(run.id, { ...progress, step: 4 }, { vae: 0.4 });
    const m = candidate('m-1');
    catalog.trainingRuns.finish(run.id, 'succeeded', { modelVersionId: m.id });
    const done = catalog.trainingRuns.get(run.id);
    expect(done?.status).toBe('succeeded');
    expect(done?.losses).toEqual([{ vae: 0.5 }, { vae: 0.4 }]);
    expect(done?.progress?.step).toBe(4);
    expect(done?.modelVersionId).toBe(m.id);
    expect(() => catalog.trainingRuns.finish(run.id, 'running')).toThrow(/not a finished state/);
  });

  it("marks runs of dead or silent processes as failed, and leaves a live process's run alone", () => {
    const [live, dead, silent] = [catalog.trainingRuns.create({}), catalog.trainingRuns.create({}), catalog.trainingRuns.create({})];
    catalog.trainingRuns.markRunning(live.id, 111);
    catalog.trainingRuns.markRunning(dead.id, 222);
    catalog.trainingRuns.markRunning(silent.id, 111);
    const alive = (pid: number) => pid === 111;
    // Ten minutes later the silent one has sent no heartbeat; the live one has.
    catalog.trainingRuns.heartbeat(live.id);
    const later = Date.now() + 10 * 60_000;
    const heartbeatNow = catalog.trainingRuns.get(live.id);
    expect(heartbeatNow?.status).toBe('running');
    expect(catalog.trainingRuns.failInterrupted(alive, 5 * 60_000)).toBe(1);
    expect(catalog.trainingRuns.get(dead.id)).toMatchObject({ status: 'failed', error: expect.stringMatching(/interrupted/) });
    expect(catalog.trainingRuns.get(live.id)?.status).toBe('running');
    expect(catalog.trainingRuns.failInterrupted(alive, 5 * 60_000, later)).toBe(2);
    expect(catalog.trainingRuns.get(silent.id)?.status).toBe('failed');
  });
});

describe('inspections', () => {
  function inspection(overrides: Partial<NewInspection> = {}): NewInspection {
    return {
      at: '2026-11-01T08:00:00.000Z',
      station: 'line-1',
      operatorId: null,
      classId: 1,
      imagePath: 'inspections/a.png',
      imageSha256: sha('a'),
      score: 0.9,
      threshold: 0.5,
      verdict: 'fail',
      modelVersionId: 1,
      anomalyMapPath: 'maps/a.png',
      overlayPath: 'maps/a-overlay.png',
      fileName: 'a.png',
      nearestClass: 'bracket',
      latencyMs: 31.5,
      source: 'hot-folder',
      classWarning: false,
      regions: [],
      ...overrides,
    };
  }

  it('stores results with their regions and filters by date, product and verdict', () => {
    catalog.classes.create('bracket');
    catalog.classes.create('gasket');
    candidate('m-1');
    const region = { x: 10, y: 12, width: 5, height: 4, area: 18, peakScore: 0.97, meanScore: 0.8 };
    const failed = catalog.inspections.record(inspection({ regions: [region, { ...region, area: 30 }] }));
    expect(failed.regions.map((r) => r.area)).toEqual([30, 18]);
    catalog.inspections.record(inspection({ at: '2026-11-02T08:00:00.000Z', verdict: 'pass', score: 0.1, regions: [] }));
    catalog.inspections.record(inspection({ at: '2026-11-03T08:00:00.000Z', classId: 2, verdict: 'pass', score: 0.2 }));
    expect(catalog.inspections.count()).toBe(3);
    expect(catalog.inspections.count({ verdict: 'pass' })).toBe(2);
    expect(catalog.inspections.count({ classId: 2 })).toBe(1);
    expect(catalog.inspections.count({ from: '2026-11-02T00:00:00.000Z', to: '2026-11-03T00:00:00.000Z' })).toBe(1);
    expect(catalog.inspections.list({ limit: 2 }).map((i) => i.at.slice(0, 10))).toEqual(['2026-11-03', '2026-11-02']);
    expect([...catalog.inspections.iterate()].map((i) => i.at.slice(0, 10))).toEqual(['2026-11-01', '2026-11-02', '2026-11-03']);
    catalog.inspections.setReview(failed.id, 'false-reject');
    expect(catalog.inspections.get(failed.id)?.review).toBe('false-reject');
    expect(() => catalog.inspections.setReview(999, 'false-accept')).toThrow(/does not exist/);
  });

  it('counts inspected and failed parts per local day, and failures per product and reason', () => {
    catalog.classes.create('bracket');
    catalog.classes.create('gasket');
    candidate('m-1');
    // 23:30 UTC is the next day two hours east of UTC.
    catalog.inspections.record(inspection({ at: '2026-11-01T23:30:00.000Z', verdict: 'fail' }));
    catalog.inspections.record(inspection({ at: '2026-11-01T08:00:00.000Z', verdict: 'pass' }));
    catalog.inspections.record(inspection({ at: '2026-11-01T09:00:00.000Z', verdict: 'fail', classWarning: true }));
    const reviewed = catalog.inspections.record(inspection({ at: '2026-11-02T09:00:00.000Z', classId: 2, verdict: 'fail' }));
    catalog.inspections.setReview(reviewed.id, 'false-reject');
    expect(catalog.inspections.dailyCounts({}, 0)).toEqual([
      { day: '2026-11-01', inspected: 3, failed: 2 },
      { day: '2026-11-02', inspected: 1, failed: 1 },
    ]);
    expect(catalog.inspections.dailyCounts({}, 120)).toEqual([
      { day: '2026-11-01', inspected: 2, failed: 1 },
      { day: '2026-11-02', inspected: 2, failed: 2 },
    ]);
    expect(catalog.inspections.dailyCounts({ classId: 2 }, 0)).toEqual([{ day: '2026-11-02', inspected: 1, failed: 1 }]);
    expect(catalog.inspections.failureCounts({}).sort((a, b) => a.reason.localeCompare(b.reason))).toEqual([
      { classId: 1, reason: 'defect', failed: 1 },
      { classId: 2, reason: 'false-reject', failed: 1 },
      { classId: 1, reason: 'wrong-product', failed: 1 },
    ]);
  });

  it("gives a model's defect scores for a product: reviewed false accepts and unreviewed failures, not false rejects or wrong products", () => {
    catalog.classes.create('bracket');
    const model = candidate('m-1');
    const accepted = catalog.inspections.record(inspection({ verdict: 'pass', score: 0.3 }));
    catalog.inspections.setReview(accepted.id, 'false-accept');
    catalog.inspections.record(inspection({ verdict: 'fail', score: 0.9 }));
    const rejected = catalog.inspections.record(inspection({ verdict: 'fail', score: 0.8 }));
    catalog.inspections.setReview(rejected.id, 'false-reject');
    catalog.inspections.record(inspection({ verdict: 'fail', score: 5, classWarning: true }));
    catalog.inspections.record(inspection({ verdict: 'pass', score: 0.1 }));
    const scores = catalog.inspections.defectScores(model.id, 1).sort((a, b) => a.score - b.score);
    expect(scores).toEqual([
      { score: 0.3, kind: 'false-accept' },
      { score: 0.9, kind: 'failed' },
    ]);
    expect(catalog.inspections.defectScores(model.id + 1, 1)).toEqual([]);
  });

  it("keeps the spread of the inspection's score scale, and none for rows written without one", () => {
    catalog.classes.create('bracket');
    candidate('m-1');
    const scaled = catalog.inspections.record(inspection({ scoreSpread: 0.25 }));
    const before = catalog.inspections.record(inspection());
    expect(catalog.inspections.get(scaled.id)?.scoreSpread).toBe(0.25);
    expect(catalog.inspections.get(before.id)?.scoreSpread).toBeNull();
  });

  it('writes an inspection and its regions atomically', () => {
    catalog.classes.create('bracket');
    candidate('m-1');
    const bad = { x: 1, y: 1, width: 1, height: 1, area: 1, peakScore: Number.NaN, meanScore: 0 };
    expect(() => catalog.inspections.record(inspection({ regions: [bad] }))).toThrow();
    expect(catalog.inspections.count()).toBe(0);
  });
});

describe('settings', () => {
  it('keeps JSON values by key and overwrites them', () => {
    catalog.settings.setMany({ stationName: 'line-1', hotFolder: null, interval: 5 });
    catalog.settings.setMany({ stationName: 'line-2' });
    expect(catalog.settings.all()).toEqual({ stationName: 'line-2', hotFolder: null, interval: 5 });
  });
});
