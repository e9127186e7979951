import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { HotFolderStatus, InspectionResult } from '../../../../src/shared/api/apiRecords';
import { DomainError } from '../../../../src/main/domainError';
import { HotFolderService, type HotFolderWatch } from '../../../../src/main/services/station/hotFolderService';
import { useTempDirs } from '../../../helpers/tempDir';

const tempDir = useTempDirs();

function service(folder: string, stored: { watch: HotFolderWatch | null }, statuses: HotFolderStatus[] = []) {
  const inspect = async () => ({}) as InspectionResult;
  return new HotFolderService(
    () => folder,
    inspect,
    { inspected: () => {}, rejected: () => {}, status: (s) => statuses.push(s) },
    (f) => f,
    (watch) => (stored.watch = watch),
  );
}

const GEAR: HotFolderWatch = { product: 'gear', operator: { id: 3, name: 'olga' } };

describe('hot folder service', () => {
  it('names a refused file by its own name, not by a station path', async () => {
    const folder = tempDir();
    const reasons: string[] = [];
    const inspect = async () => ({}) as InspectionResult;
    const hot = new HotFolderService(() => folder, inspect, {
      inspected: () => {},
      rejected: (_f, reason) => reasons.push(reason),
      status: () => {},
    });
    await hot.start('gear');
    writeFileSync(path.join(folder, 'empty.png'), '');
    for (let i = 0; i < 100 && reasons.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    await hot.stop();
    expect(reasons).toEqual([expect.stringMatching(/^empty\.png: /)]);
    expect(reasons[0]).not.toContain(folder);
  });
});

describe('hot folder service: who the results are for', () => {
  it('inspects every file for the operator who started watching', async () => {
    const folder = tempDir();
    const calls: [string, string, number | null][] = [];
    const inspect = async (_bytes: Buffer, fileName: string, product: string, operatorId: number | null) => {
      calls.push([fileName, product, operatorId]);
      return {} as InspectionResult;
    };
    const hot = new HotFolderService(() => folder, inspect, { inspected: () => {}, rejected: () => {}, status: () => {} });
    expect((await hot.start('gear', { id: 7, name: 'olga' })).operator).toBe('olga');
    writeFileSync(
      path.join(folder, 'part.png'),
      await sharp({ create: { width: 8, height: 8, channels: 3, background: '#555' } })
        .png()
        .toBuffer(),
    );
    for (let i = 0; i < 200 && calls.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    await hot.stop();
    expect(calls).toEqual([['part.png', 'gear', 7]]);
  });
});

describe('hot folder service while the station is busy', () => {
  it('waits out "busy" and inspects the file, but rejects it for any other refusal', async () => {
    const folder = tempDir();
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 90, g: 90, b: 90 } } })
      .png()
      .toBuffer();
    const refusals = [
      new DomainError('busy', 'queue full'),
      new DomainError('busy', 'queue full'),
      null,
      new DomainError('no-model', 'no model for gear'),
    ];
    let calls = 0;
    const inspect = async () => {
      const refusal = refusals[calls++];
      if (refusal) throw refusal;
      return {} as InspectionResult;
    };
    const seen = { inspected: 0, rejected: [] as string[] };
    const hot = new HotFolderService(() => folder, inspect, {
      inspected: () => seen.inspected++,
      rejected: (_f, reason) => seen.rejected.push(reason),
      status: () => {},
    });
    await hot.start('gear');
    writeFileSync(path.join(folder, 'first.png'), png);
    for (let i = 0; i < 200 && seen.inspected === 0; i++) await new Promise((r) => setTimeout(r, 25));
    writeFileSync(path.join(folder, 'second.png'), png);
    for (let i = 0; i < 200 && seen.rejected.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    await hot.stop();
    expect(seen).toEqual({ inspected: 1, rejected: [expect.stringMatching(/no model for gear/)] });
    expect(calls).toBe(4);
  });
});

describe('hot folder service across restarts', () => {
  it('resumes the watching that was on when the station closed, for the same operator, but not one the user stopped', async () => {
    const folder = tempDir();
    const stored = { watch: null as HotFolderWatch | null };
    const first = service(folder, stored);
    await first.start('gear', GEAR.operator);
    expect(stored.watch).toEqual(GEAR);
    await first.halt(); // the station closing
    expect(stored.watch).toEqual(GEAR);
    const second = service(folder, stored);
    await second.resume(stored.watch as HotFolderWatch, true);
    expect(second.status()).toMatchObject({ watching: true, product: 'gear', operator: 'olga', problem: null });
    await second.stop(); // the user
    expect(stored.watch).toBeNull();
  });

  it('says so when watching cannot resume, instead of going quiet', async () => {
    const parent = tempDir();
    const folder = path.join(parent, 'drop');
    const stored = { watch: GEAR as HotFolderWatch | null };
    const statuses: HotFolderStatus[] = [];
    const missing = service(folder, stored, statuses);
    await missing.resume(GEAR, true);
    expect(missing.status()).toMatchObject({
      watching: false,
      problem: expect.stringMatching(/did not resume after the restart: .*does not exist/),
    });
    expect(statuses.at(-1)?.problem).toMatch(/did not resume/);
    expect(stored.watch).toEqual(GEAR); // still wanted: the next restart tries again
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'x.png'), 'x');
    const noModel = service(folder, stored);
    await noModel.resume(GEAR, false);
    expect(noModel.status()).toMatchObject({ watching: false, problem: expect.stringMatching(/cannot inspect "gear"/) });
    rmSync(folder, { recursive: true });
  });
});
