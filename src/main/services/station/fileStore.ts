import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Writes a file under a temporary name and renames it into place: a crash never leaves half a file. */
export function writeFileAtomic(file: string, data: Uint8Array): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.partial-${process.pid}`;
  writeFileSync(temp, data);
  renameSync(temp, file);
}

/** A file-name stem safe on every platform, from whatever name an image arrived with. */
export function safeStem(fileName: string): string {
  return path.parse(fileName).name.replace(/[^\w.-]+/g, '_').slice(0, 80) || 'image';
}
