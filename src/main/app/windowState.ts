import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** The main window's size and place, kept in <home>/window-state.json between runs. */
const windowStateSchema = z.object({
  bounds: z.object({
    x: z.number().int().optional(),
    y: z.number().int().optional(),
    width: z.number().int().min(640).max(16384),
    height: z.number().int().min(480).max(16384),
  }),
  maximised: z.boolean(),
});
export type WindowState = z.infer<typeof windowStateSchema>;
export type WindowBounds = WindowState['bounds'];
export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_WINDOW_STATE: WindowState = { bounds: { width: 1280, height: 800 }, maximised: false };

export function windowStateFile(home: string): string {
  return path.join(home, 'window-state.json');
}

/** The saved state, or the default when the file is missing, unreadable or not what we wrote. */
export function readWindowState(file: string): WindowState {
  try {
    const parsed = windowStateSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : DEFAULT_WINDOW_STATE;
  } catch {
    return DEFAULT_WINDOW_STATE;
  }
}

/** Written to a temporary name and renamed, so a crash never leaves half a file. */
export function saveWindowState(file: string, state: WindowState): void {
  const parsed = windowStateSchema.safeParse(state);
  if (!parsed.success) return; // e.g. a window smaller than the minimum: keep the last good state
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(parsed.data, null, 2));
  renameSync(temp, file);
}

/**
 * Forgets the saved position when it is not on any of today's displays (a monitor was unplugged),
 * so the window never opens out of sight; the size is kept.
 */
export function placeOnScreen(bounds: WindowBounds, workAreas: Rectangle[]): WindowBounds {
  const { x, y, width, height } = bounds;
  if (x === undefined || y === undefined) return { width, height };
  const visible = workAreas.some((area) => overlap(x, width, area.x, area.width) >= 100 && overlap(y, height, area.y, area.height) >= 50);
  return visible ? bounds : { width, height };
}

function overlap(start: number, length: number, areaStart: number, areaLength: number): number {
  return Math.min(start + length, areaStart + areaLength) - Math.max(start, areaStart);
}
