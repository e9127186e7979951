import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { StationEvent } from '../../../../src/shared/api/stationEvents';
import type { StationService, StationServiceOptions } from '../../../../src/main/services/stationService';
import { openStationServiceInWorker } from '../../../../src/main/services/station/stationServiceWorkerClient';

const fakeWorker = path.join(__dirname, 'fixtures', 'fakeStationWorker.ts');
const malformedWorker = path.join(__dirname, 'fixtures', 'malformedStationWorker.ts');
const options = { home: '/tmp/qa-station-fake', shell: 'electron' as const, appVersion: '0.0.0-test' };

async function withService(
  entry: string,
  run: (service: StationService) => Promise<void>,
  opts: StationServiceOptions = options,
): Promise<void> {
  const service = await openStationServiceInWorker(opts, entry);
  try {
    await run(service);
  } finally {
    await service.close();
  }
}

function collect(stream: PassThrough): Promise<string> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    stream.on('data', (part: Buffer) => parts.push(part));
    stream.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
  });
}

describe('station service in a worker thread', () => {
  it('round-trips calls with their client id and input', async () => {
    await withService(fakeWorker, async (service) => {
      const [a, b] = await Promise.all([service.dispatch('7', 'test.echo', { n: 1 }), service.dispatch('8', 'test.echo', { n: 2 })]);
      expect(a).toEqual({ ok: true, value: { clientId: '7', input: { n: 1 }, disconnected: [] } });
      expect(b).toMatchObject({ ok: true, value: { clientId: '8', input: { n: 2 } } });
      expect(await service.dispatch('7', 'nope', {})).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    });
  });

  it('forwards disconnects', async () => {
    await withService(fakeWorker, async (service) => {
      service.disconnect('3');
      expect(await service.dispatch('1', 'test.echo', null)).toMatchObject({ value: { disconnected: ['3'] } });
    });
  });

  it('turns a throwing service and an uncloneable answer into internal errors', async () => {
    await withService(fakeWorker, async (service) => {
      expect(await service.dispatch('1', 'test.throw', {})).toMatchObject({ ok: false, error: { code: 'internal' } });
      expect(await service.dispatch('1', 'test.uncloneable', {})).toMatchObject({ ok: false, error: { code: 'internal' } });
    });
  });

  it('refuses inputs that cannot cross to the worker', async () => {
    await withService(fakeWorker, async (service) => {
      const result = await service.dispatch('1', 'test.echo', { callback: () => 1 });
      expect(result).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    });
  });

  it('resolves images, concurrently, and answers null for unknown refs and failures', async () => {
    await withService(fakeWorker, async (service) => {
      const [found, missing] = await Promise.all([service.resolveImage('sample/1'), service.resolveImage('sample/2')]);
      expect(found).toBe('/images/sample 1.png');
      expect(missing).toBeNull();
      expect(await service.resolveImage({ not: 'a ref' })).toBeNull();
      expect(await service.resolveImage('sample/throw')).toBeNull();
      expect(await service.resolveImage({ callback: () => 1 })).toBeNull(); // cannot cross to the worker
    });
  });

  it('passes the options, training epochs included, to the worker', async () => {
    const withEpochs = { ...options, trainingEpochs: { phase1: 2, phase2: 3 } };
    await withService(
      fakeWorker,
      async (service) => {
        expect(await service.dispatch('1', 'test.options', {})).toEqual({ ok: true, value: withEpochs });
      },
      withEpochs,
    );
    await withService(fakeWorker, async (service) => {
      expect(await service.dispatch('1', 'test.options', {})).toEqual({ ok: true, value: options });
    });
  });

  it('refuses invalid training epochs before starting a worker', async () => {
    await expect(openStationServiceInWorker({ ...options, trainingEpochs: { phase1: 0, phase2: 1.5 } }, fakeWorker)).rejects.toThrow();
  });

  it('streams the report into the caller stream and mirrors its end', async () => {
    await withService(fakeWorker, async (service) => {
      const out = new PassThrough();
      const text = collect(out);
      expect(await service.writeReport({}, out)).toEqual({ ok: true, value: { rows: 1 } });
      expect(await text).toBe('product,verdict\nbolt,fail\n');
      expect(await service.writeReport('bad', new PassThrough())).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    });
  });

  it('forwards valid events and drops malformed ones', async () => {
    await withService(fakeWorker, async (service) => {
      const seen: StationEvent[] = [];
      const unsubscribe = service.onEvent((event) => seen.push(event));
      await service.dispatch('1', 'test.events', {});
      await service.dispatch('1', 'test.echo', {}); // events sent before this answer have arrived
      expect(seen).toEqual([{ event: 'hotFolder.status', payload: expect.objectContaining({ inspected: 1 }) }]);
      unsubscribe();
      await service.dispatch('1', 'test.events', {});
      await service.dispatch('1', 'test.echo', {});
      expect(seen).toHaveLength(1);
    });
  });

  it('fails pending and later calls cleanly when the worker dies', async () => {
    await withService(fakeWorker, async (service) => {
      const hanging = service.dispatch('1', 'test.hang', {});
      const crash = await service.dispatch('1', 'test.crash', {});
      expect(crash).toMatchObject({ ok: false, error: { code: 'internal' } });
      expect(await hanging).toMatchObject({ ok: false, error: { code: 'internal', message: expect.stringContaining('simulated crash') } });
      expect(await service.dispatch('1', 'test.echo', {})).toMatchObject({ ok: false, error: { code: 'internal' } });
      expect(await service.resolveImage('sample/1')).toBeNull();
    });
  });

  it('fails calls after close instead of hanging', async () => {
    const service = await openStationServiceInWorker(options, fakeWorker);
    await service.close();
    await service.close(); // twice is fine
    expect(await service.dispatch('1', 'test.echo', {})).toMatchObject({
      ok: false,
      error: { code: 'internal', message: 'The station is shutting down.' },
    });
  });

  it('rejects with the service message when it cannot open', async () => {
    await expect(openStationServiceInWorker({ ...options, home: 'fail-to-open' }, fakeWorker)).rejects.toThrow('The catalogue is damaged');
  });

  it('rejects malformed worker messages and fails the request they answer', async () => {
    await withService(malformedWorker, async (service) => {
      const events: StationEvent[] = [];
      service.onEvent((event) => events.push(event));
      expect(await service.dispatch('1', 'station.info', {})).toEqual({
        ok: false,
        error: { code: 'internal', message: 'The station sent a malformed answer.' },
      });
      expect(events).toEqual([]);
    });
  });
});
