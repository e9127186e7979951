import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openStationLog } from '../../../../src/main/services/station/stationLog';
import { useTempDirs } from '../../../helpers/tempDir';

const tempDir = useTempDirs();

describe('station log', () => {
  it('keeps what happened across a restart, newest last, with details', async () => {
    const dir = tempDir();
    const first = openStationLog(dir);
    first.info('station starting', { pid: 1 });
    first.warn('hot folder problem', { problem: 'gone' });
    first.error('unexpected error', { method: 'inspect.image' });
    await first.close();
    const second = openStationLog(dir);
    expect(second.tail(2).map((e) => [e.level, e.message])).toEqual([
      ['warn', 'hot folder problem'],
      ['error', 'unexpected error'],
    ]);
    expect(second.tail(10)[0]).toMatchObject({
      message: 'station starting',
      details: '{"pid":1}',
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    await second.close();
  });

  it('rotates instead of growing without bound', async () => {
    const dir = tempDir();
    const log = openStationLog(dir);
    const line = 'x'.repeat(2000);
    for (let i = 0; i < 6000; i++) {
      log.info(line, { i });
      if (i % 100 === 0) await new Promise((r) => setTimeout(r, 2)); // a log is written over time, not in one burst
    }
    await log.close();
    const files = readdirSync(dir);
    expect(files.length).toBeGreaterThan(1);
    expect(files.length).toBeLessThanOrEqual(5);
    expect(files).toContain('station.log');
    const reopened = openStationLog(dir);
    expect(reopened.tail(1)[0]?.details).toBe('{"i":5999}');
    await reopened.close();
  });
});
