import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { DomainError } from '../../domainError';
import { isWithin } from '../../stationPaths';

function resolved(folder: string): string {
  try {
    return realpathSync(folder);
  } catch {
    return path.resolve(folder);
  }
}

/**
 * Refuses a hot folder that would let the watcher move the station's own files: the data folder,
 * anything inside it, any folder that contains it, and anything that is not an existing folder.
 * The watcher moves every file it sees into inspected/ or rejected/, so any of these would carry
 * off the catalogue. Symbolic links are followed before comparing. Returns the folder, resolved.
 */
export function checkHotFolder(folder: string, stationHome: string): string {
  if (!path.isAbsolute(folder)) throw new DomainError('invalid-input', `The hot folder must be a full path, not "${folder}"`);
  let isFolder = false;
  try {
    isFolder = statSync(folder).isDirectory();
  } catch {
    throw new DomainError('invalid-input', `The hot folder ${folder} does not exist`);
  }
  if (!isFolder) throw new DomainError('invalid-input', `The hot folder ${folder} is a file, not a folder`);
  const [hot, home] = [resolved(folder), resolved(stationHome)];
  if (isWithin(hot, home)) throw new DomainError('invalid-input', "The hot folder cannot be the station's data folder or inside it");
  if (isWithin(home, hot)) throw new DomainError('invalid-input', "The hot folder cannot contain the station's data folder");
  return hot;
}
