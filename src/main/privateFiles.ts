import { chmodSync, existsSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

/**
 * The station's files are its user's alone: the catalogue holds PIN hashes and the images are the
 * factory's. On Linux and macOS new files get mode 0600 and folders 0700 (umask 077, set once per
 * process by its entry point); on Windows the data folder lives in the user's profile, which is
 * private already.
 */
export function keepNewFilesPrivate(platform: NodeJS.Platform = process.platform): void {
  if (platform !== 'win32' && isMainThread) process.umask(0o077); // workers may not set it; they share it
}

/** Tightens an existing file or folder made before (or by another tool): 0600 files, 0700 folders. */
export function makePrivate(target: string, kind: 'file' | 'folder', platform: NodeJS.Platform = process.platform): void {
  if (platform === 'win32' || !existsSync(target)) return;
  try {
    chmodSync(target, kind === 'folder' ? 0o700 : 0o600);
  } catch {
    // not ours to change (a shared folder chosen on purpose): leave it
  }
}
