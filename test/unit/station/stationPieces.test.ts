import { describe, expect, it } from 'vitest';
import { hasDisplay } from '../../../src/main/host/appModeBrowser';
import { PassThrough } from 'node:stream';
import { neutraliseFormula, textCell, writeCsvReport } from '../../../src/main/reports/csvReport';
import type { Inspection } from '../../../src/shared/catalogTypes';
import { tailProducts } from '../../../src/main/engine/longtail/tailProducts';
import { StationSessions, SUPERVISOR_UNLOCK_MS } from '../../../src/main/services/station/stationSessions';
import { QueueFullError, SerialQueue } from '../../../src/main/services/station/serialQueue';

describe('CSV cells', () => {
  it('never lets a spreadsheet run a cell as a formula', () => {
    expect(['=SUM(A1)', '+1', '-2', '@x', '\tx', 'part.png', '1.5'].map(neutraliseFormula)).toEqual(["'=SUM(A1)", "'+1", "'-2", "'@x", "'\tx", 'part.png', '1.5']);
  });

  it('keeps a file name with line feeds on one row', async () => {
    expect(textCell('part\n=1.png')).toBe('part =1.png');
    expect(textCell('a\r\nb\u0007c')).toBe('a  b c');
    const row = { at: '2026-12-01T08:00:00.000Z', station: 'line\n1', operatorId: null, classId: 1, imagePath: '/x.png', fileName: 'evil\nname.png', verdict: 'pass', score: 1, threshold: 2, modelVersionId: 1, regions: [] } as unknown as Inspection;
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    await writeCsvReport([row, row], { product: () => 'gear', operator: () => '', modelVersion: () => 'v1' }, out);
    const text = Buffer.concat(chunks).toString('utf8');
    expect(text.split(/\r\n|\n|\r/).filter((l) => l.length > 0)).toHaveLength(3);
    expect(text).toContain('evil name.png');
  });
});

describe('long-tail flags', () => {
  it('flags products with few images absolutely or relative to the best covered one', () => {
    const tail = tailProducts(new Map([['big', 400], ['mid', 120], ['small', 60], ['rare', 3]]));
    expect([...tail].sort()).toEqual(['rare', 'small']);
    expect([...tailProducts(new Map([['a', 8], ['b', 12]]))]).toEqual(['a']);
    expect(tailProducts(new Map()).size).toBe(0);
  });
});

describe('sessions', () => {
  it('keeps a supervisor unlocked per connection until the unlock expires', () => {
    let now = 1_000_000;
    const sessions = new StationSessions(() => now);
    sessions.unlock('tab-a', { id: 1, name: 'sam' });
    expect(sessions.supervisor('tab-a')?.name).toBe('sam');
    expect(sessions.supervisor('tab-b')).toBeNull();
    now += SUPERVISOR_UNLOCK_MS - 1;
    expect(sessions.describe('tab-a').supervisor?.name).toBe('sam');
    now += 2;
    expect(sessions.supervisor('tab-a')).toBeNull();
  });
});

describe('serial queue', () => {
  it('runs one task at a time in order, and a failure does not stop the next', async () => {
    const queue = new SerialQueue();
    const log: string[] = [];
    const task = (name: string, ms: number, fail = false) => queue.run(async () => {
      log.push(`start ${name}`);
      await new Promise((r) => setTimeout(r, ms));
      log.push(`end ${name}`);
      if (fail) throw new Error(name);
      return name;
    });
    const results = await Promise.allSettled([task('a', 20, true), task('b', 1), task('c', 5)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('refuses work beyond its limit at once, but never housekeeping', async () => {
    const queue = new SerialQueue(2);
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const first = queue.run(() => gate);
    const second = queue.run(async () => 'b');
    await expect(queue.run(async () => 'c')).rejects.toBeInstanceOf(QueueFullError);
    const housekeeping = queue.run(async () => 'h', false);
    expect(queue.size).toBe(3);
    release();
    expect(await Promise.all([first, second, housekeeping])).toEqual([undefined, 'b', 'h']);
    expect(queue.size).toBe(0);
    expect(await queue.run(async () => 'd')).toBe('d');
  });
});

describe('app-mode browser', () => {
  it('knows when Linux has no display to open a window on', () => {
    expect(hasDisplay({}, 'linux')).toBe(false);
    expect(hasDisplay({ DISPLAY: ':0' }, 'linux')).toBe(true);
    expect(hasDisplay({ WAYLAND_DISPLAY: 'wayland-0' }, 'linux')).toBe(true);
    expect(hasDisplay({}, 'win32')).toBe(true);
  });
});
