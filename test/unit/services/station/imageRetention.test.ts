import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Catalog } from '../../../../src/main/catalog/catalog';
import { pruneInspectionImages } from '../../../../src/main/services/station/imageRetention';
import { toInspectionResult } from '../../../../src/main/services/station/inspectionRecords';
import { useTempDirs } from '../../../helpers/tempDir';

const tempDir = useTempDirs();
let catalog: Catalog | undefined;
afterEach(() => catalog?.close());

describe('inspection image retention', () => {
  it('prunes images by age, then oldest first down to the size limit, keeping every record and files outside the station', () => {
    const home = tempDir();
    const outside = tempDir();
    catalog = Catalog.open(path.join(home, 'catalog.sqlite'));
    const product = catalog.classes.create('gear');
    const model = catalog.models.createCandidate({
      version: 'v1',
      directory: 'm',
      backbone: 'mobilenetv2',
      textTower: 't',
      config: {},
      fileHashes: {},
    });
    const now = Date.parse('2026-12-01T00:00:00.000Z');
    const day = 24 * 3600 * 1000;
    const write = (dir: string, name: string, bytes: number) => {
      mkdirSync(dir, { recursive: true });
      const file = path.join(dir, name);
      writeFileSync(file, Buffer.alloc(bytes));
      return file;
    };
    const record = (ageDays: number, image: string, map: string | null) =>
      (catalog as Catalog).inspections.record({
        at: new Date(now - ageDays * day).toISOString(),
        station: 's',
        operatorId: null,
        classId: product.id,
        imagePath: image,
        imageSha256: 'a'.repeat(64),
        score: 1,
        threshold: 2,
        verdict: 'pass',
        modelVersionId: model.id,
        anomalyMapPath: map,
        overlayPath: null,
        fileName: path.basename(image),
        nearestClass: null,
        latencyMs: 1,
        source: 'import',
        classWarning: false,
        regions: [],
      });
    const images = path.join(home, 'images', 'inspections');
    const old = record(40, write(images, 'old.png', 1000), write(images, 'old-map.png', 100));
    const foreign = record(35, write(outside, 'user-file.png', 1000), null); // recorded before copies were kept
    const mid = record(10, write(images, 'mid.png', 1000), null);
    const recent = record(1, write(images, 'recent.png', 1000), null);

    expect(pruneInspectionImages(catalog, home, { maxAgeDays: null, maxBytes: null }, now)).toEqual({ pruned: 0, bytesFreed: 0 });
    expect(pruneInspectionImages(catalog, home, { maxAgeDays: 30, maxBytes: null }, now)).toEqual({ pruned: 2, bytesFreed: 1100 });
    expect(existsSync(old.imagePath) || existsSync(old.anomalyMapPath as string)).toBe(false);
    expect(existsSync(foreign.imagePath)).toBe(true); // never deletes what is not the station's
    expect(pruneInspectionImages(catalog, home, { maxAgeDays: 30, maxBytes: 1500 }, now)).toEqual({ pruned: 1, bytesFreed: 1000 });
    expect(existsSync(mid.imagePath)).toBe(false);
    expect(existsSync(recent.imagePath)).toBe(true);
    expect(catalog.inspections.count()).toBe(4);
    const shown = toInspectionResult(catalog, catalog.inspections.get(mid.id) as NonNullable<ReturnType<Catalog['inspections']['get']>>);
    expect(shown).toMatchObject({ image: null, overlay: null, map: null, imagesNote: expect.stringMatching(/retention/) });
    expect(
      toInspectionResult(catalog, catalog.inspections.get(recent.id) as NonNullable<ReturnType<Catalog['inspections']['get']>>),
    ).toMatchObject({ image: `inspection/${recent.id}/image`, imagesNote: null });
  });
});
