import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Catalog } from '../../../../src/main/catalog/catalog';
import type { SampleLabel, SampleSplit } from '../../../../src/shared/catalogTypes';
import { listProducts } from '../../../../src/main/services/station/productService';

/** products.list's counts (services/station/productService.ts) over an in-memory catalogue, on a clock the test sets. */
let catalog: Catalog;
let images = 0;
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-03-01T08:00:00.000Z'));
  catalog = Catalog.open(':memory:');
});
afterEach(() => {
  catalog.close();
  vi.useRealTimers();
});

function addImages(classId: number, count: number, split: SampleSplit = 'train', label: SampleLabel = 'good'): void {
  catalog.samples.addMany(
    Array.from({ length: count }, () => {
      images += 1;
      return { classId, path: `${images}.png`, sha256: images.toString(16).padStart(64, '0'), split, label, source: 'import' as const };
    }),
  );
}

/** A model trained (its run started) now and promoted, as the station's training does. */
function trainAndPromote(version: string): void {
  const run = catalog.trainingRuns.create({ version });
  catalog.trainingRuns.markRunning(run.id);
  const model = catalog.models.createCandidate({
    version,
    directory: `models/${version}`,
    backbone: 'mobilenetv2',
    textTower: 'builtin',
    config: {},
    fileHashes: {},
    trainingRunId: run.id,
  });
  catalog.models.promote(model.id);
}

const later = (iso: string) => vi.setSystemTime(new Date(iso));

describe('products.list counts', () => {
  it("counts each product's labelled defects apart from its good images", () => {
    const gear = catalog.classes.create('gear');
    const plate = catalog.classes.create('plate');
    addImages(gear.id, 3);
    addImages(gear.id, 2, 'validation', 'defect');
    addImages(plate.id, 1, 'validation', 'defect');
    addImages(plate.id, 1, 'test', 'defect'); // a dataset's test image is no labelled defect for validation
    expect(listProducts(catalog, new Set()).map((p) => [p.name, p.goodImages, p.labelledDefects])).toEqual([
      ['gear', 3, 2],
      ['plate', 0, 1],
    ]);
  });

  it('says how many good images the active model never learnt: those added after its training began', () => {
    const gear = catalog.classes.create('gear');
    const plate = catalog.classes.create('plate');
    addImages(gear.id, 4);
    addImages(plate.id, 2);
    // No active model: nothing is learnt yet.
    expect(listProducts(catalog, new Set()).map((p) => [p.name, p.untrainedGoodImages])).toEqual([
      ['gear', 4],
      ['plate', 2],
    ]);
    later('2026-03-01T09:00:00.000Z');
    trainAndPromote('m-1');
    const known = new Set(['gear', 'plate']);
    expect(listProducts(catalog, known).map((p) => p.untrainedGoodImages)).toEqual([0, 0]);
    later('2026-03-01T10:00:00.000Z');
    addImages(gear.id, 1); // e.g. a false reject added from History
    addImages(gear.id, 1, 'validation', 'defect'); // a labelled defect is never trained on: no retrain for it
    expect(listProducts(catalog, known).map((p) => [p.name, p.untrainedGoodImages])).toEqual([
      ['gear', 1],
      ['plate', 0],
    ]);
    // A product the active model does not know has learnt none of its images.
    expect(listProducts(catalog, new Set(['gear'])).find((p) => p.name === 'plate')?.untrainedGoodImages).toBe(2);
    later('2026-03-01T11:00:00.000Z');
    trainAndPromote('m-2');
    expect(listProducts(catalog, known).map((p) => p.untrainedGoodImages)).toEqual([0, 0]);
  });
});
