import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Catalog } from '../../../../src/main/catalog/catalog';
import { removeOrphanFiles } from '../../../../src/main/services/station/orphanFiles';
import { stationPaths } from '../../../../src/main/stationPaths';
import { useTempDirs } from '../../../helpers/tempDir';

const tempDir = useTempDirs();
let catalog: Catalog | undefined;
afterEach(() => catalog?.close());

describe('start-up clean-up of inspection files', () => {
  it('removes files no record points at from around the last inspection, and half-written files; keeps the rest', () => {
    const paths = stationPaths(tempDir());
    catalog = Catalog.open(paths.catalogFile);
    const product = catalog.classes.create('gear');
    const model = catalog.models.createCandidate({
      version: 'v1',
      directory: 'm',
      backbone: 'mobilenetv2',
      textTower: 't',
      config: {},
      fileHashes: {},
    });
    const now = Date.parse('2026-12-01T10:00:00.000Z');
    const file = (dir: string, name: string, ageMs: number) => {
      mkdirSync(dir, { recursive: true });
      const full = path.join(dir, name);
      writeFileSync(full, 'x');
      utimesSync(full, (now - ageMs) / 1000, (now - ageMs) / 1000);
      return full;
    };
    const images = path.join(paths.imagesDir, 'inspections', '2026-12-01');
    const maps = path.join(paths.home, 'inspections', '2026-12-01');
    const kept = {
      image: file(images, 'a.png', 300_000),
      map: file(maps, 'a-map.png', 300_000),
      overlay: file(maps, 'a-overlay.png', 300_000),
    };
    catalog.inspections.record({
      at: new Date(now - 300_000).toISOString(),
      station: 's',
      operatorId: null,
      classId: product.id,
      imagePath: kept.image,
      imageSha256: 'a'.repeat(64),
      score: 1,
      threshold: 2,
      verdict: 'pass',
      modelVersionId: model.id,
      anomalyMapPath: kept.map,
      overlayPath: kept.overlay,
      fileName: 'a.png',
      nearestClass: null,
      latencyMs: 1,
      source: 'import',
      classWarning: false,
      regions: [],
    });
    const orphan = file(images, 'b.png', 200_000); // written after the last record, never recorded
    const orphanMap = file(maps, 'b-map.png', 200_000);
    const partial = file(images, 'c.png.partial-123', 200_000);
    const young = file(images, 'd.png', 5_000); // maybe another process's inspection in progress
    const deadWriter = file(images, `${now}-p999999-f.png`, 1_000); // its writer died: removed however young
    const liveWriter = file(images, `${now}-p424242-g.png`, 1_000); // another live process's
    const old = file(images, 'e.png', 90_000_000); // long before the newest record: not scanned
    const removed = removeOrphanFiles(catalog, paths, now, (pid) => pid === 424242);
    expect(removed.sort()).toEqual([orphan, orphanMap, partial, deadWriter].sort());
    for (const f of [...Object.values(kept), young, old, liveWriter]) expect(existsSync(f)).toBe(true);
    for (const f of removed) expect(existsSync(f)).toBe(false);
  });
});
