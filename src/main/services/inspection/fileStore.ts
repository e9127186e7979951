import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sniffImageFormat } from '../../ingest/imageFormat';
import type { StationPaths } from '../../stationPaths';

/** Writes a file under a temporary name and renames it into place: a crash never leaves half a file. */
export function writeFileAtomic(file: string, data: Uint8Array): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.partial-${process.pid}`;
  writeFileSync(temp, data);
  renameSync(temp, file);
}

/** Stores an image being inspected under the station's images folder (by day); returns where. */
export function storeInspectionImage(paths: StationPaths, fileName: string, bytes: Buffer): string {
  const day = new Date().toISOString().slice(0, 10);
  // The writer's pid in the name: start-up clean-up can tell a dead process's leftovers from a live one's files.
  const stored = path.join(
    paths.imagesDir,
    'inspections',
    day,
    `${Date.now()}-p${process.pid}-${safeStem(fileName)}.${sniffImageFormat(bytes) ?? 'bin'}`,
  );
  writeFileAtomic(stored, bytes);
  return stored;
}

/** A file-name stem safe on every platform, from whatever name an image arrived with. */
export function safeStem(fileName: string): string {
  return (
    path
      .parse(fileName)
      .name.replace(/[^\w.-]+/g, '_')
      .slice(0, 80) || 'image'
  );
}
