import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Catalog } from '../../../../src/main/catalog/catalog';
import { exportModelPackage } from '../../../../src/main/services/inspection/modelPackageExport';
import { stationPaths } from '../../../../src/main/stationPaths';
import { useTempDirs } from '../../../helpers/tempDir';

const tempDir = useTempDirs();
let catalog: Catalog;
beforeEach(() => {
  catalog = Catalog.open(':memory:');
});
afterEach(() => catalog.close());

/** Where a package may not go is said plainly before any work (the whole export is in ltadStationSmoke.test.ts). */
describe('model packages: where they may not go', () => {
  const exportTo = (out: string) => exportModelPackage(catalog, stationPaths(tempDir()), 'm-1', out, 'test');

  it('refuses a file, a non-empty folder, a missing parent, a parent that is a file and system folders', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'notes.txt');
    writeFileSync(file, 'x');
    mkdirSync(path.join(dir, 'full'));
    writeFileSync(path.join(dir, 'full', 'a'), 'x');
    await expect(exportTo(file)).rejects.toThrow(/notes\.txt is a file: name a folder/);
    await expect(exportTo(path.join(dir, 'full'))).rejects.toThrow(/exists and is not empty/);
    await expect(exportTo(path.join(dir, 'missing', 'pkg'))).rejects.toThrow(/missing does not exist: create it first/);
    await expect(exportTo(path.join(file, 'pkg'))).rejects.toThrow(/notes\.txt is a file: the package needs a folder/);
    await expect(exportTo('/proc/qa-package')).rejects.toThrow(/is a system folder/);
  });

  it('then looks for the model version', async () => {
    await expect(exportTo(path.join(tempDir(), 'pkg'))).rejects.toThrow(/No model version "m-1"/);
  });
});
