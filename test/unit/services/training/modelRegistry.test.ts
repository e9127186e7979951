import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TrainedModel } from '../../../../src/shared/training';
import { Catalog } from '../../../../src/main/catalog/catalog';
import { registerModel } from '../../../../src/main/services/training/modelRegistry';
import { useTempDirs } from '../../../helpers/tempDir';

const tempDir = useTempDirs();
let catalog: Catalog;
beforeEach(() => {
  catalog = Catalog.open(':memory:');
});
afterEach(() => catalog.close());

function trained(modelDir: string, products: { name: string; threshold: number; goodScores: number[] }[]): TrainedModel {
  return {
    modelDir,
    fileHashes: {},
    backbone: 'mobilenetv2',
    textTower: 'test',
    config: {},
    training: { backend: 'test', seconds: 1, perPhaseSeconds: {}, nTrainPerClass: {}, nHeldOutPerClass: {} },
    lambda: 0.5,
    featureChannels: 720,
    products: products.map((p) => ({
      ...p,
      thresholdSource: 'held-out' as const,
      targetFalseRejectRate: 0.02,
      pseudoName: { tokens: 1, dim: 2, data: Float32Array.of(0, 1) },
    })),
  };
}

/** A registered, active model whose model.json says what training measured for each product. */
function activeModel(products: { name: string; threshold: number; goodScores: number[] }[]) {
  const dir = path.join(tempDir(), 'm-1');
  mkdirSync(dir);
  const calibration = Object.fromEntries(
    products.map((p) => [
      p.name,
      { threshold: p.threshold, goodScores: p.goodScores, targetFalseRejectRate: 0.02, thresholdSource: 'held-out' },
    ]),
  );
  writeFileSync(path.join(dir, 'model.json'), JSON.stringify({ calibration }));
  const row = registerModel(catalog, 'm-1', trained(dir, products), null);
  catalog.models.promote(row.id);
  return row;
}

describe('registering a retrained model', () => {
  it("carries a supervisor's threshold as what it meant, marked as the supervisor's and where it came from; others keep training's", () => {
    const old = activeModel([
      { name: 'gear', threshold: 5, goodScores: [2, 3, 4] },
      { name: 'plate', threshold: 1, goodScores: [0.5] },
    ]);
    const gear = catalog.classes.getByName('gear')?.id as number;
    const existing = catalog.models.calibration(old.id).find((c) => c.classId === gear);
    catalog.models.setCalibration(old.id, [{ ...(existing as NonNullable<typeof existing>), threshold: 7, thresholdSource: 'supervisor' }]);

    const next = registerModel(
      catalog,
      'm-2',
      trained(tempDir(), [
        { name: 'gear', threshold: 4.6, goodScores: [2, 2.5, 3] },
        { name: 'plate', threshold: 2, goodScores: [1] },
      ]),
      null,
    );
    const byName = new Map(catalog.models.calibration(next.id).map((c) => [catalog.classes.get(c.classId)?.name, c]));
    expect(byName.get('gear')).toMatchObject({ thresholdSource: 'supervisor', carriedFrom: { version: 'm-1', threshold: 7 } });
    expect(byName.get('gear')?.threshold).toBeCloseTo(6.7, 12);
    expect(byName.get('plate')).toMatchObject({ threshold: 2, thresholdSource: 'held-out', carriedFrom: null });
    expect(catalog.audit.list({ limit: 1 })[0]).toMatchObject({ action: 'threshold.carry', target: 'm-2/gear' });
  });

  it('keeps the trained threshold when there is no active model, or its model file is gone', () => {
    const first = registerModel(
      catalog,
      'm-1',
      trained(path.join(tempDir(), 'gone'), [{ name: 'gear', threshold: 3, goodScores: [1, 2] }]),
      null,
    );
    catalog.models.promote(first.id);
    const gear = catalog.classes.getByName('gear')?.id as number;
    const existing = catalog.models.calibration(first.id)[0];
    catalog.models.setCalibration(first.id, [
      { ...(existing as NonNullable<typeof existing>), classId: gear, threshold: 9, thresholdSource: 'supervisor' },
    ]);
    const next = registerModel(catalog, 'm-2', trained(tempDir(), [{ name: 'gear', threshold: 4, goodScores: [1, 2] }]), null);
    expect(catalog.models.calibration(next.id)[0]).toMatchObject({ threshold: 4, thresholdSource: 'held-out', carriedFrom: null });
  });
});
