import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { featuresReportSchema } from '../../../src/shared/backbones';
import { cli } from '../../helpers/cliRunner';
import { useTempDirs } from '../../helpers/tempDir';
import { MIGRATIONS } from '../../../src/main/catalog/migrations';

const tempDir = useTempDirs();
const root = path.resolve(__dirname, '..', '..', '..');

describe('qa-station synth and split', () => {
  it('writes a long-tailed synthetic set and a reproducible split of it', async () => {
    const data = tempDir();
    const synth = await cli(
      'synth',
      '--out',
      data,
      '--classes',
      '3',
      '--seed',
      '4',
      '--size',
      '48',
      '--nmax',
      '8',
      '--longtail',
      'step',
      '--beta',
      '4',
      '--test-good',
      '1',
      '--test-defects',
      '1',
      '--json',
    );
    expect(synth.code).toBe(0);
    expect(JSON.parse(synth.stdout).classes.map((c: { train: number }) => c.train)).toEqual([8, 8, 2]);

    const out = path.join(tempDir(), 'split.json');
    const split = await cli('split', '--data', data, '--type', 'exp', '--beta', '4', '--nmax', '6', '--seed', '1', '--out', out, '--json');
    expect(split.code).toBe(0);
    const written = JSON.parse(readFileSync(out, 'utf8'));
    expect(written.classes.map((c: { n: number }) => c.n)).toEqual([6, 3, 1]);
    expect(written.classes[0].items.every((f: string) => existsSync(f))).toBe(true);
    const again = path.join(tempDir(), 'again.json');
    await cli('split', '--data', data, '--type', 'exp', '--beta', '4', '--nmax', '6', '--seed', '1', '--out', again);
    expect(JSON.parse(readFileSync(again, 'utf8')).classes).toEqual(written.classes);
  });

  it('explains bad arguments on stderr with a non-zero exit code', async () => {
    const missingBeta = await cli('synth', '--out', tempDir(), '--classes', '2', '--seed', '1', '--longtail', 'exp');
    expect(missingBeta.code).toBe(1);
    expect(missingBeta.stderr).toMatch(/--longtail needs --beta/);
    const badCount = await cli('synth', '--out', tempDir(), '--classes', 'many', '--seed', '1');
    expect(badCount.code).toBe(2);
    expect(badCount.stderr).toMatch(/expected a whole number/);
    const noData = await cli(
      'split',
      '--data',
      path.join(tempDir(), 'nope'),
      '--type',
      'exp',
      '--beta',
      '2',
      '--seed',
      '1',
      '--out',
      'x.json',
    );
    expect(noData.code).toBe(1);
    expect(noData.stderr).toMatch(/does not exist/);
    const badType = await cli('split', '--data', '.', '--type', 'linear', '--beta', '2', '--seed', '1', '--out', 'x.json');
    expect(badType.code).toBe(2);
    expect(badType.stderr).toMatch(/Allowed choices are exp, step/);
  });
});

describe('qa-station features', () => {
  it('reports taps and timing as JSON', async () => {
    const data = tempDir();
    await cli(
      'synth',
      '--out',
      data,
      '--classes',
      '1',
      '--seed',
      '1',
      '--size',
      '64',
      '--nmax',
      '1',
      '--test-good',
      '0',
      '--test-defects',
      '0',
    );
    const image = path.join(data, 'product_00', 'train', 'good', '000.png');
    const result = await cli('features', image, '--backbone', 'mobilenetv2', '--runtime', 'onnx', '--home', tempDir(), '--json');
    expect(result.stderr).toBe('');
    const report = featuresReportSchema.parse(JSON.parse(result.stdout));
    expect(report.taps).toEqual([
      { name: 'block_3_expand_relu', shape: [56, 56, 144] },
      { name: 'block_6_expand_relu', shape: [28, 28, 192] },
      { name: 'block_10_expand_relu', shape: [14, 14, 384] },
    ]);
    expect(report.ms).toBeGreaterThan(0);
  });

  it('says plainly what is wrong with a bad image or backbone', async () => {
    const bad = path.join(tempDir(), 'part.jpg');
    writeFileSync(bad, 'this is not a JPEG');
    const notImage = await cli('features', bad, '--home', tempDir());
    expect(notImage.code).toBe(1);
    expect(notImage.stderr).toContain('not a PNG, JPEG, BMP, TIFF or WebP image');
    const badBackbone = await cli('features', bad, '--backbone', 'resnet50');
    expect(badBackbone.code).toBe(2);
    expect(badBackbone.stderr).toMatch(/Allowed choices are mobilenetv2, inceptionv3/);
    const badTap = await cli('features', bad, '--taps', 'block_15_expand_relu', '--home', tempDir());
    expect(badTap.stderr).toMatch(/not ImageNet weights/);
  });
});

describe('qa-station status', () => {
  it('creates the catalogue in a new data folder, then finds it again', async () => {
    const home = tempDir();
    const first = await cli('status', '--home', home, '--json');
    expect(first.code).toBe(0);
    const status = JSON.parse(first.stdout);
    expect(status.catalogue).toMatchObject({ created: true, schemaVersion: MIGRATIONS.length, products: 0, activeModel: null });
    expect(existsSync(path.join(home, 'catalog.sqlite'))).toBe(true);
    expect(status.runtimes.tfjs).toMatch(/^tfjs 4\.22\.0 (wasm|tensorflow|cpu)/);
    const second = await cli('status', '--home', home, '--json');
    expect(JSON.parse(second.stdout).catalogue.created).toBe(false);
  });
});

describe('the installed binary', () => {
  it('runs from bin/qa-station.js after the build', () => {
    if (!existsSync(path.join(root, 'dist', 'cli', 'main.js'))) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
    const version = spawnSync(process.execPath, [path.join(root, 'bin', 'qa-station.js'), '--version'], { encoding: 'utf8' });
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toBe('0.1.0');
    const bad = spawnSync(
      process.execPath,
      [
        path.join(root, 'bin', 'qa-station.js'),
        'split',
        '--data',
        '/nonexistent',
        '--type',
        'exp',
        '--beta',
        '2',
        '--seed',
        '1',
        '--out',
        '/tmp/x.json',
      ],
      { encoding: 'utf8' },
    );
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^qa-station: Dataset folder \/nonexistent does not exist/);
  });
});
