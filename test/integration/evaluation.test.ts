import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluationReportSchema } from '../../src/shared/evaluation';
import { runPeerEvaluation } from '../../src/main/services/evaluation/methodEvaluation';
import { trainingClasses } from '../../src/main/services/training/trainingSet';
import { generateSyntheticDataset } from '../../src/main/synthetic/syntheticDataset';
import { cli } from '../helpers/cliRunner';

let data: string;
let home: string;
beforeAll(async () => {
  data = mkdtempSync(path.join(os.tmpdir(), 'qa-eval-'));
  home = mkdtempSync(path.join(os.tmpdir(), 'qa-eval-home-'));
  await generateSyntheticDataset({
    outDir: data,
    classes: 3,
    seed: 21,
    size: 96,
    nMax: 12,
    longTail: { type: 'exp', beta: 4 },
    testGood: 4,
    testDefectsPerType: 1,
  });
  // A class without a test folder is trained on but not evaluated.
  rmSync(path.join(data, 'product_02', 'test'), { recursive: true });
  rmSync(path.join(data, 'product_02', 'ground_truth'), { recursive: true });
});
afterAll(() => {
  rmSync(data, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
});

describe('peer evaluation on a synthetic long-tailed set', () => {
  for (const method of ['padim', 'patchcore'] as const) {
    it(`${method}: separates defective from good parts and localises the defects`, async () => {
      const report = evaluationReportSchema.parse(
        await runPeerEvaluation({ data, method, backbone: 'mobilenetv2', runtime: 'onnx', seed: 0, home }),
      );
      expect(Object.keys(report.perClass)).toEqual(['product_00', 'product_01']);
      expect(report.untestedClasses).toEqual(['product_02']);
      expect(report.perClass.product_00).toMatchObject({ nTrain: 12, nTestGood: 4, nTestDefect: 5 });
      expect(report.avg.image).toBeGreaterThan(0.8);
      expect(report.avg.pixel).toBeGreaterThan(0.9);
      expect(report.avg.aupro).toBeGreaterThan(0.7);
      expect(report.highClasses).toEqual(['product_00']);
      expect(report.lowClasses).toEqual(['product_01']);
      expect(report.msPerImage).toBeGreaterThan(0);
      expect(report.perClass.product_00?.atThreshold ?? null).toBeNull(); // the peers have no threshold to judge at
    });
  }

  it('fits on the training images it is given (a long-tailed view) and refuses a class without any', async () => {
    const view = trainingClasses({ data, lt: 'exp', beta: 4, nmax: 6, seed: 0 });
    const trainFiles = Object.fromEntries(view.map((c) => [c.name, c.trainFiles]));
    const report = await runPeerEvaluation({ data, method: 'padim', trainFiles, backbone: 'mobilenetv2', runtime: 'onnx', seed: 0, home });
    expect(report.perClass.product_00?.nTrain).toBe(6);
    expect(report.perClass.product_01?.nTrain).toBe(view.find((c) => c.name === 'product_01')?.trainFiles.length);
    await expect(
      runPeerEvaluation({
        data,
        method: 'padim',
        trainFiles: { product_00: trainFiles.product_00 as string[] },
        backbone: 'mobilenetv2',
        runtime: 'onnx',
        seed: 0,
        home,
      }),
    ).rejects.toThrow(/No training images were given for product_01/);
  });

  it('prints a table, or explains a bad request', async () => {
    const table = await cli('eval', '--data', data, '--method', 'padim', '--classes', 'product_01', '--home', home);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/product_01\s+6\s+[01]\.\d{3}/);
    expect(table.stdout).toMatch(/^Low/m);
    const unknown = await cli('eval', '--data', data, '--method', 'padim', '--classes', 'gearbox', '--home', home);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/has no class gearbox/);
    const noMethod = await cli('eval', '--data', data);
    expect(noMethod.code).toBe(1);
    expect(noMethod.stderr).toMatch(/--model VERSION .* or --method padim\|patchcore/);
    const both = await cli('eval', '--data', data, '--method', 'padim', '--model', 'x');
    expect(both.code).toBe(2);
    const unknownModel = await cli('eval', '--data', data, '--model', 'ltad-missing', '--home', home);
    expect(unknownModel.stderr).toMatch(/No model version "ltad-missing"/);
  });
});
