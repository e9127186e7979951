import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStationService } from '../../src/main/services/station/stationBackend';
import type { StationService } from '../../src/main/services/stationService';

/**
 * Refusals through the real dispatch (schema, access, handler, catalogue), as the transports call
 * it: each one answers with its own code, never "internal". Every test opens a station of its own.
 */
const SUPERVISOR = 'client-supervisor';
let home: string;
let service: StationService;

beforeEach(async () => {
  home = mkdtempSync(path.join(os.tmpdir(), 'qa-refusals-home-'));
  service = await openStationService({ home, shell: 'browser-host', appVersion: '0.0.0-test' });
  expect(await service.dispatch(SUPERVISOR, 'setup.firstSupervisor', { name: 'sam', pin: '2468' })).toMatchObject({ ok: true });
});
afterEach(async () => {
  await service.close();
  rmSync(home, { recursive: true, force: true });
});

describe('station refusals', () => {
  it('refuses a product name the catalogue would refuse as an invalid request, and creates nothing', async () => {
    expect(await service.dispatch(SUPERVISOR, 'products.create', { name: 'Widget A' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request', message: expect.stringMatching(/lower-case/) },
    });
    // In words for people: the field, not the API method or the schema's path.
    const refused = await service.dispatch(SUPERVISOR, 'products.create', { name: 'Widget A' });
    expect(refused).toMatchObject({ ok: false, error: { message: expect.not.stringMatching(/products\.create|name:/) } });
    expect(await service.dispatch(SUPERVISOR, 'products.list', {})).toEqual({ ok: true, value: [] });
    expect(await service.dispatch(SUPERVISOR, 'products.create', { name: 'widget-a', displayName: 'Widget A' })).toMatchObject({
      ok: true,
      value: { name: 'widget-a', displayName: 'Widget A' },
    });
  });

  it("answers the catalogue's conflicts as conflicts", async () => {
    expect(await service.dispatch(SUPERVISOR, 'products.create', { name: 'bracket' })).toMatchObject({ ok: true });
    expect(await service.dispatch(SUPERVISOR, 'products.create', { name: 'bracket' })).toEqual({
      ok: false,
      error: { code: 'conflict', message: 'A product named "bracket" exists already' },
    });
    expect(await service.dispatch(SUPERVISOR, 'users.create', { name: 'sam', role: 'operator', pin: null })).toEqual({
      ok: false,
      error: { code: 'conflict', message: 'A user named "sam" exists already' },
    });
    expect(await service.dispatch(SUPERVISOR, 'users.create', { name: 'kim', role: 'supervisor', pin: null })).toEqual({
      ok: false,
      error: { code: 'invalid-request', message: 'A supervisor needs a PIN' },
    });
  });

  it('answers what is not there as not-found', async () => {
    expect(await service.dispatch(SUPERVISOR, 'models.promote', { version: 'ltad-missing' })).toEqual({
      ok: false,
      error: { code: 'not-found', message: 'No model version "ltad-missing"' },
    });
    expect(await service.dispatch(SUPERVISOR, 'history.review', { id: 404, review: 'false-reject' })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
    expect(
      await service.dispatch(SUPERVISOR, 'products.importImages', { product: 'gear', files: [{ fileName: 'a.png', data: 'AAAA' }] }),
    ).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('answers training that cannot start or stop as a conflict, and a preset outside the list as an invalid request', async () => {
    expect(await service.dispatch(SUPERVISOR, 'training.start', { preset: 'fast' })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringMatching(/No product has good images/) },
    });
    expect(await service.dispatch(SUPERVISOR, 'training.cancel', {})).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await service.dispatch(SUPERVISOR, 'training.start', { preset: 'huge' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request' },
    });
  });

  it('answers inspection without a model as no-model', async () => {
    expect(await service.dispatch(SUPERVISOR, 'products.create', { name: 'gear' })).toMatchObject({ ok: true });
    expect(await service.dispatch(SUPERVISOR, 'hotFolder.start', { product: 'gear' })).toMatchObject({
      ok: false,
      error: { code: 'no-model' },
    });
  });
});
