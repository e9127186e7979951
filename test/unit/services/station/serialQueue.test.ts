import { describe, expect, it } from 'vitest';
import { QueueFullError, SerialQueue } from '../../../../src/main/services/station/serialQueue';

describe('serial queue', () => {
  it('runs one task at a time in order, and a failure does not stop the next', async () => {
    const queue = new SerialQueue();
    const log: string[] = [];
    const task = (name: string, ms: number, fail = false) =>
      queue.run(async () => {
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
