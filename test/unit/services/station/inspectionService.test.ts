import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Catalog } from '../../../../src/main/catalog/catalog';
import type { InspectionOutcome, InspectionRequest, Inspector, ScoredBatch } from '../../../../src/main/services/inspection/inspector';
import { InspectionService, MAX_QUEUED_INSPECTIONS } from '../../../../src/main/services/station/inspectionService';
import { stationPaths } from '../../../../src/main/stationPaths';
import { useTempDirs } from '../../../helpers/tempDir';

const tempDir = useTempDirs();
const CONTEXT = { station: 'line 4', operatorId: null, source: 'import' as const };
const catalogs: Catalog[] = [];
afterEach(() => {
  for (const c of catalogs.splice(0)) c.close();
});

/**
 * A station whose active model knows `gear` and `plate`, with a stand-in inspector that records
 * each batch it is given and fails the images whose bytes say "bad".
 */
function station(finishMs = 0) {
  const paths = stationPaths(tempDir());
  const catalog = Catalog.open(paths.catalogFile);
  catalogs.push(catalog);
  for (const name of ['gear', 'plate', 'rare']) catalog.classes.create(name);
  const row = catalog.models.createCandidate({
    version: 'm-1',
    directory: path.join(paths.modelsDir, 'm-1'),
    backbone: 'mobilenetv2',
    textTower: 'test',
    config: {},
    fileHashes: {},
  });
  catalog.models.promote(row.id);
  const batches: string[][] = [];
  /** What the stand-in did, in order: "score a.png" when a batch starts scoring, "finish a.png" when its rows are recorded. */
  const events: string[] = [];
  let opened = 0;
  const inspector = {
    row: catalog.models.active(),
    model: { meta: { classNames: ['gear', 'plate'] } },
    async scoreRequests(requests: readonly InspectionRequest[]): Promise<ScoredBatch> {
      batches.push(requests.map((r) => r.displayName));
      events.push(`score ${requests.map((r) => r.displayName).join(' ')}`);
      await new Promise((resolve) => setTimeout(resolve, 20)); // long enough for more requests to queue behind it
      return { requests } as unknown as ScoredBatch;
    },
    async finishBatch(scored: ScoredBatch): Promise<PromiseSettledResult<InspectionOutcome>[]> {
      const { requests } = scored as unknown as { requests: readonly InspectionRequest[] };
      await new Promise((resolve) => setTimeout(resolve, finishMs));
      events.push(`finish ${requests.map((r) => r.displayName).join(' ')}`);
      return requests.map((r) => {
        if (r.bytes.toString() === 'bad') return { status: 'rejected', reason: new Error(`${r.displayName} does not decode`) };
        const classId = catalog.classes.getByName(r.product)?.id as number;
        const record = catalog.inspections.record({
          at: new Date().toISOString(),
          station: r.context.station,
          operatorId: null,
          classId,
          imagePath: r.displayName,
          imageSha256: 'a'.repeat(64),
          score: 1,
          threshold: 2,
          verdict: 'pass',
          modelVersionId: row.id,
          anomalyMapPath: null,
          overlayPath: null,
          imagesRemoved: null,
          fileName: r.displayName,
          nearestClass: r.product,
          latencyMs: 1,
          source: r.context.source,
          classWarning: false,
          regions: [],
        });
        return { status: 'fulfilled', value: { record } as InspectionOutcome };
      });
    },
  } as unknown as Inspector;
  const service = new InspectionService(catalog, paths, async () => {
    opened++;
    return inspector;
  });
  return { service, catalog, batches, events, opened: () => opened };
}

describe('InspectionService batches', () => {
  it('takes the requests that wait behind a running one into one batch, each answered with its own result', async () => {
    const { service, batches, opened } = station();
    const first = service.inspectBytes(Buffer.from('ok'), 'a.png', 'gear', CONTEXT);
    await new Promise((resolve) => setTimeout(resolve, 5)); // the first is running
    const rest = ['b.png', 'c.png', 'd.png'].map((name, i) =>
      service.inspectBytes(Buffer.from('ok'), name, i === 1 ? 'plate' : 'gear', CONTEXT),
    );
    const results = await Promise.all([first, ...rest]);
    expect(batches).toEqual([['a.png'], ['b.png', 'c.png', 'd.png']]);
    expect(results.map((r) => [r.fileName, r.product])).toEqual([
      ['a.png', 'gear'],
      ['b.png', 'gear'],
      ['c.png', 'plate'],
      ['d.png', 'gear'],
    ]);
    expect(opened()).toBe(1);
  });

  it('refuses a bad image and a product the model does not know alone, and inspects the rest of the batch', async () => {
    const { service, batches } = station();
    const blocker = service.inspectBytes(Buffer.from('ok'), 'first.png', 'gear', CONTEXT);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const good = service.inspectBytes(Buffer.from('ok'), 'good.png', 'gear', CONTEXT);
    const bad = service.inspectBytes(Buffer.from('bad'), 'bad.png', 'gear', CONTEXT);
    const unknown = service.inspectBytes(Buffer.from('ok'), 'rare.png', 'rare', CONTEXT);
    // Expectations attached at once: a refusal may come before the blocker's answer.
    const refusals = Promise.all([
      expect(bad).rejects.toThrow('bad.png does not decode'),
      expect(unknown).rejects.toMatchObject({ kind: 'no-model' }),
    ]);
    await blocker;
    await refusals;
    expect((await good).fileName).toBe('good.png');
    expect(batches[1]).toEqual(['good.png', 'bad.png']);
  });

  it('scores the next batch while the one before is judged and written, and records rows in arrival order', async () => {
    const { service, catalog, events } = station(60);
    const first = service.inspectBytes(Buffer.from('ok'), 'a.png', 'gear', CONTEXT);
    await new Promise((resolve) => setTimeout(resolve, 30)); // a.png scored, now finishing for 60 ms
    const second = service.inspectBytes(Buffer.from('ok'), 'b.png', 'gear', CONTEXT);
    await Promise.all([first, second]);
    expect(events).toEqual(['score a.png', 'score b.png', 'finish a.png', 'finish b.png']);
    expect(
      catalog.inspections
        .list()
        .map((r) => r.fileName)
        .reverse(),
    ).toEqual(['a.png', 'b.png']);
  });

  it('answers busy beyond the bound, and a refused request never joins a later batch', async () => {
    const { service, batches } = station();
    const accepted = Array.from({ length: MAX_QUEUED_INSPECTIONS }, (_, i) =>
      service.inspectBytes(Buffer.from('ok'), `${i}.png`, 'gear', CONTEXT),
    );
    await expect(service.inspectBytes(Buffer.from('ok'), 'late.png', 'gear', CONTEXT)).rejects.toMatchObject({ kind: 'busy' });
    await Promise.all(accepted);
    expect(batches.flat()).toEqual(Array.from({ length: MAX_QUEUED_INSPECTIONS }, (_, i) => `${i}.png`));
  });
});
