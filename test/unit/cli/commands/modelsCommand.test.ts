import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Catalog } from '../../../../src/main/catalog/catalog';
import { stationPaths } from '../../../../src/main/stationPaths';
import { cli } from '../../../helpers/cliRunner';
import { useTempDirs } from '../../../helpers/tempDir';

const tempDir = useTempDirs();
const savedPin = process.env.QA_STATION_PIN;
afterEach(() => {
  if (savedPin === undefined) delete process.env.QA_STATION_PIN;
  else process.env.QA_STATION_PIN = savedPin;
});

function stationWithModels(): string {
  const home = tempDir();
  const catalog = Catalog.open(stationPaths(home).catalogFile);
  catalog.users.create('Dana', 'supervisor', '4821');
  catalog.users.create('Olu', 'operator');
  for (const version of ['ltad-a', 'ltad-b'])
    catalog.models.createCandidate({
      version,
      directory: path.join(home, 'models', version),
      backbone: 'mobilenetv2',
      textTower: 'builtin',
      config: {},
      fileHashes: {},
    });
  catalog.close();
  return home;
}

describe('qa-station models and promote', () => {
  it('lists versions and promotes one for a supervisor whose PIN matches, audit-logged', async () => {
    const home = stationWithModels();
    const list = await cli('models', '--home', home, '--json');
    expect(JSON.parse(list.stdout).map((m: { version: string; status: string }) => [m.version, m.status])).toEqual([
      ['ltad-b', 'candidate'],
      ['ltad-a', 'candidate'],
    ]);
    process.env.QA_STATION_PIN = '4821';
    const ok = await cli('promote', 'ltad-a', '--user', 'Dana', '--home', home);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/ltad-a is now the active model/);
    const catalog = Catalog.open(stationPaths(home).catalogFile);
    expect(catalog.models.active()?.version).toBe('ltad-a');
    expect(catalog.audit.list()[0]).toMatchObject({ action: 'model.promote', actor: 'Dana', target: 'ltad-a' });
    catalog.close();
  });

  it('refuses without the PIN, with a wrong PIN, and for an operator', async () => {
    const home = stationWithModels();
    delete process.env.QA_STATION_PIN;
    const noPin = await cli('promote', 'ltad-a', '--user', 'Dana', '--home', home);
    expect(noPin.code).toBe(1);
    expect(noPin.stderr).toMatch(/Set QA_STATION_PIN/);
    process.env.QA_STATION_PIN = '0000';
    const wrong = await cli('promote', 'ltad-a', '--user', 'Dana', '--home', home);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/name or PIN is wrong/);
    process.env.QA_STATION_PIN = '4821';
    const operator = await cli('promote', 'ltad-a', '--user', 'Olu', '--home', home);
    expect(operator.stderr).toMatch(/name or PIN is wrong/);
    const catalog = Catalog.open(stationPaths(home).catalogFile);
    expect(catalog.models.active()).toBeUndefined();
    expect(catalog.audit.list({ action: 'auth.refused' })).toHaveLength(2);
    catalog.close();
  });
});
