import { type Dirent, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Catalog } from '../../catalog/catalog';
import type { StationPaths } from '../../stationPaths';
import { processIsAlive } from '../workers/processLiveness';

/** Files without a writer's pid in their name, younger than this, may belong to an inspection another process is still recording. */
const MIN_ORPHAN_AGE_MS = 60_000;

/** The pid in a stored file's name (`<ms>-p<pid>-...`), or null for names from before it was added. */
function writerPid(file: string): number | null {
  const match = /^\d+-p(\d+)-/.exec(path.basename(file)) ?? /\.partial-(\d+)$/.exec(file);
  return match ? Number(match[1]) : null;
}
/** An inspection's files are written moments before its record. */
const RECORD_LAG_MS = 60_000;

function* filesUnder(dir: string): Generator<string> {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(full);
    else if (entry.isFile()) yield full;
  }
}

/**
 * Removes what a process killed mid-inspection leaves behind: half-written temporary files, and
 * stored images, maps and overlays that no inspection record points at. An inspection writes its
 * files just before its record, so only files from around the newest record on can be orphans;
 * older ones are not scanned against the catalogue. Returns the files removed.
 */
export function removeOrphanFiles(
  catalog: Catalog,
  paths: StationPaths,
  now = Date.now(),
  isAlive: (pid: number) => boolean = processIsAlive,
): string[] {
  const latest = catalog.inspections.latestAt();
  const since = latest ? Date.parse(latest) - RECORD_LAG_MS : 0;
  const referenced = catalog.inspections.filesSince(new Date(since).toISOString());
  const removed: string[] = [];
  for (const root of [path.join(paths.imagesDir, 'inspections'), path.join(paths.home, 'inspections')]) {
    for (const file of filesUnder(root)) {
      const { mtimeMs } = statSync(file);
      const pid = writerPid(file);
      if (pid === null ? now - mtimeMs < MIN_ORPHAN_AGE_MS : pid !== process.pid && isAlive(pid)) continue;
      const partial = /\.partial-\d+$/.test(file);
      if (partial || (mtimeMs >= since && !referenced.has(file))) {
        rmSync(file, { force: true });
        removed.push(file);
      }
    }
  }
  return removed;
}
