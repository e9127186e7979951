import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODEL_PACKAGE_FORMAT } from '../../../../src/shared/modelPackage';
import { PackageInspector } from '../../../../src/main/services/inspection/packageInspector';
import { useTempDirs } from '../../../helpers/tempDir';

const tempDir = useTempDirs();

/** The package scorer refuses what it cannot trust before it opens any graph (the whole path is in ltadStationSmoke.test.ts). */
describe('model packages: what is refused', () => {
  it('a folder without a manifest', async () => {
    await expect(PackageInspector.open(tempDir())).rejects.toThrow(/is not a model package: it has no manifest\.json/);
  });

  it('a manifest that is not JSON, of another format, or incomplete', async () => {
    const dir = tempDir();
    const manifest = path.join(dir, 'manifest.json');
    writeFileSync(manifest, '{ not json');
    await expect(PackageInspector.open(dir)).rejects.toThrow(/manifest\.json is not valid JSON/);
    writeFileSync(manifest, JSON.stringify({ format: 'qa-station/model-package@0' }));
    await expect(PackageInspector.open(dir)).rejects.toThrow(/package format "qa-station\/model-package@0" is not .*export it again/);
    writeFileSync(manifest, JSON.stringify({ format: MODEL_PACKAGE_FORMAT, model: { version: 'v1' } }));
    await expect(PackageInspector.open(dir)).rejects.toThrow(/manifest\.json is invalid: .*imageTower/);
  });
});
