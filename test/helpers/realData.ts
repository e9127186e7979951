import { existsSync } from 'node:fs';
import path from 'node:path';

/** ../shared/data/real beside the repository (never copied into it; see its README). */
export const REAL_DATA_DIR = path.resolve(__dirname, '..', '..', '..', 'shared', 'data', 'real');

export const hasRealData = existsSync(REAL_DATA_DIR);

/** Says once, in the test output, why real-data tests are skipped. */
export function announceMissingRealData(suite: string): void {
  if (!hasRealData)
    console.warn(`[${suite}] skipped: real images not found at ${REAL_DATA_DIR} (the folder's own README describes the data)`);
}
