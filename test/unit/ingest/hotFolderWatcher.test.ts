import { appendFileSync, existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import sharp from 'sharp';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HotFolderWatcher } from '../../../src/main/ingest/hotFolderWatcher';
import { decodeImageFile } from '../../../src/main/ingest/imageDecoder';
import { useTempDirs } from '../../helpers/tempDir';

const tempDir = useTempDirs();
const until = async (predicate: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!predicate() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  expect(predicate()).toBe(true);
};

describe('hot folder watcher', () => {
  it('hands over files that land, moves them to inspected/ or, on failure, rejected/, and keeps going', async () => {
    const folder = tempDir();
    writeFileSync(path.join(folder, 'waiting.png'), 'landed while nobody watched');
    const seen: string[] = [];
    const rejected: { file: string; reason: string; movedTo: string | null }[] = [];
    const watcher = new HotFolderWatcher(folder, {
      onFile: async (file) => {
        seen.push(path.basename(file));
        if (file.endsWith('.txt')) throw new Error('not an image');
      },
      onRejected: (file, reason, movedTo) => rejected.push({ file: path.basename(file), reason, movedTo }),
    });
    await watcher.start();
    writeFileSync(path.join(folder, 'part-1.png'), 'x');
    writeFileSync(path.join(folder, 'notes.txt'), 'y');
    writeFileSync(path.join(folder, '.hidden.png'), 'z');
    writeFileSync(path.join(folder, 'half.png.partial'), 'still being written');
    await until(() => seen.length === 3 && rejected.length === 1);
    await watcher.stop();
    expect(seen.sort()).toEqual(['notes.txt', 'part-1.png', 'waiting.png']);
    expect(rejected).toEqual([{ file: 'notes.txt', reason: 'not an image', movedTo: path.join(folder, 'rejected', 'notes.txt') }]);
    expect(readdirSync(path.join(folder, 'inspected')).sort()).toEqual(['part-1.png', 'waiting.png']);
    expect(existsSync(path.join(folder, 'half.png.partial'))).toBe(true);
  });

  it('waits for a file written slowly (pauses longer than the stability wait) instead of rejecting it as truncated', async () => {
    const folder = tempDir();
    const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#808080' } })
      .png({ compressionLevel: 0 })
      .toBuffer();
    const inspected: string[] = [];
    const rejected: string[] = [];
    const watcher = new HotFolderWatcher(
      folder,
      {
        onFile: async (file) => void inspected.push(`${(await decodeImageFile(file)).width}`),
        onRejected: (file, reason) => rejected.push(`${path.basename(file)}: ${reason}`),
      },
      { settleMs: 200, graceMs: 1500, pollMs: 50, healthMs: 200 },
    );
    await watcher.start();
    const slow = path.join(folder, 'slow.png');
    const cut = path.join(folder, 'cut.png');
    writeFileSync(cut, png.subarray(0, png.length / 2)); // truncated for good: rejected after the grace period
    const thirds = [0, 1, 2, 3].map((i) => Math.round((png.length * i) / 3));
    for (let i = 0; i < 3; i++) {
      appendFileSync(slow, png.subarray(thirds[i], thirds[i + 1]));
      await new Promise((r) => setTimeout(r, 700));
    }
    await until(() => inspected.length === 1 && rejected.length === 1);
    await watcher.stop();
    expect(inspected).toEqual(['64']);
    expect(rejected).toEqual([expect.stringMatching(/^cut\.png: .*ends early/)]);
    expect(readdirSync(path.join(folder, 'inspected'))).toEqual(['slow.png']);
  });

  it('says when the folder is gone, and picks up files again once it is recreated', async () => {
    const parent = tempDir();
    const folder = path.join(parent, 'drop');
    mkdirSync(folder);
    const seen: string[] = [];
    const problems: (string | null)[] = [];
    const rejected: { file: string; reason: string }[] = [];
    const watcher = new HotFolderWatcher(
      folder,
      {
        onFile: async (file) => void seen.push(path.basename(file)),
        onRejected: (file, reason) => rejected.push({ file: path.basename(file), reason }),
        onProblem: (p) => problems.push(p),
      },
      { settleMs: 100, graceMs: 500, pollMs: 50, healthMs: 100 },
    );
    await watcher.start();
    writeFileSync(path.join(folder, 'a.png'), 'a');
    await until(() => seen.length === 1);
    symlinkSync(path.join(parent, 'nowhere.png'), path.join(folder, 'dangling.png'));
    await until(() => rejected.length === 1);
    rmSync(folder, { recursive: true });
    await until(() => problems.length === 1);
    expect(problems[0]).toMatch(/is gone/);
    expect(rejected).toEqual([{ file: 'dangling.png', reason: 'a link to a file that does not exist' }]);
    expect(watcher.watching).toBe(false);
    mkdirSync(folder);
    await until(() => problems.length === 2);
    expect(problems[1]).toBeNull();
    writeFileSync(path.join(folder, 'b.png'), 'b');
    await until(() => seen.length === 2);
    await watcher.stop();
    expect(seen).toEqual(['a.png', 'b.png']);
  });

  it('refuses a folder that does not exist', async () => {
    const watcher = new HotFolderWatcher(path.join(tempDir(), 'missing'), { onFile: async () => {}, onRejected: () => {} });
    await expect(watcher.start()).rejects.toThrow(/does not exist/);
  });
});
