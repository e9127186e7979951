import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_WINDOW_STATE, placeOnScreen, readWindowState, saveWindowState, windowStateFile } from '../../../src/main/app/windowState';

describe('window state', () => {
  let home = '';
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('round-trips through <home>/window-state.json', () => {
    home = mkdtempSync(path.join(os.tmpdir(), 'qa-window-'));
    const file = windowStateFile(home);
    expect(file).toBe(path.join(home, 'window-state.json'));
    expect(readWindowState(file)).toEqual(DEFAULT_WINDOW_STATE);
    const state = { bounds: { x: 10, y: 20, width: 1000, height: 700 }, maximised: true };
    saveWindowState(file, state);
    expect(readWindowState(file)).toEqual(state);
  });

  it('falls back to the default when the file is corrupt or out of range', () => {
    home = mkdtempSync(path.join(os.tmpdir(), 'qa-window-'));
    const file = windowStateFile(home);
    for (const text of [
      '{not json',
      '[]',
      JSON.stringify({ bounds: { width: 5, height: 5 }, maximised: false }),
      JSON.stringify({ bounds: { width: 900, height: 700 }, maximised: 'yes' }),
    ]) {
      writeFileSync(file, text);
      expect(readWindowState(file)).toEqual(DEFAULT_WINDOW_STATE);
    }
    saveWindowState(file, { bounds: { width: 10, height: 10 }, maximised: false }); // refused, file kept
    expect(readFileSync(file, 'utf8')).toContain('maximised');
  });

  it('drops a position that is on no display', () => {
    const screen = [{ x: 0, y: 0, width: 1920, height: 1080 }];
    expect(placeOnScreen({ x: 100, y: 100, width: 800, height: 600 }, screen)).toEqual({ x: 100, y: 100, width: 800, height: 600 });
    expect(placeOnScreen({ x: 3000, y: 100, width: 800, height: 600 }, screen)).toEqual({ width: 800, height: 600 });
    expect(placeOnScreen({ width: 800, height: 600 }, screen)).toEqual({ width: 800, height: 600 });
  });
});
