import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { stationInfoSchema } from '../../src/shared/api/apiRecords';
import { forwardProcessProblems } from '../../src/main/services/workers/processProblems';
import { openStationServiceInWorker } from '../../src/main/services/station/stationServiceWorkerClient';

/** The real station service, opened in its worker thread from the TypeScript sources. */
describe('station service worker (real backend)', () => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'qa-station-worker-'));
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('opens, answers, streams a report and closes', async () => {
    const service = await openStationServiceInWorker({ home, shell: 'electron', appVersion: '9.9.9-test' });
    try {
      const info = await service.dispatch('1', 'station.info', {});
      expect(info.ok).toBe(true);
      if (!info.ok) return;
      expect(stationInfoSchema.parse(info.value)).toMatchObject({ appVersion: '9.9.9-test', shell: 'electron' });

      expect(await service.dispatch('1', 'no.such.method', {})).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
      expect(await service.resolveImage('inspection/999999/image')).toBeNull();
      expect(await service.resolveImage('../../etc/passwd')).toBeNull();

      const out = new PassThrough();
      const chunks: Buffer[] = [];
      out.on('data', (chunk: Buffer) => chunks.push(chunk));
      const report = await service.writeReport({ from: null, to: null, product: null, verdict: null }, out);
      expect(report).toMatchObject({ ok: true, value: { rows: 0 } });
      expect(Buffer.concat(chunks).toString('utf8').length).toBeGreaterThan(0); // at least the header line
      // The owning process's own problems reach the station log through the worker.
      const stopForwarding = forwardProcessProblems(service, 'test main');
      process.emitWarning('a warning of the main process');
      await new Promise((r) => setTimeout(r, 50));
      stopForwarding();
      service.log('error', 'logged from the owning thread', { where: 'test' });
    } finally {
      await service.close();
    }
    expect(await service.dispatch('1', 'station.info', {})).toMatchObject({ ok: false, error: { code: 'internal' } });
    const log = readFileSync(path.join(home, 'logs', 'station.log'), 'utf8');
    expect(log).toMatch(/"level":"warn","message":"test main: Warning: a warning of the main process"/);
    expect(log).toMatch(/"level":"error","message":"logged from the owning thread","where":"test"/);
  });
});
