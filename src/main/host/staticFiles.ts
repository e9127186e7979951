import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { contentTypeOf } from '../contentTypes';

/** Unknown kinds go out as bytes, never as something a browser would run. */
export function contentType(file: string): string {
  return contentTypeOf(file) ?? 'application/octet-stream';
}

/**
 * The built renderer's files by URL path, listed once at start: a request can only ever reach a file
 * that is on this list, whatever it puts in its path.
 */
export function listStaticFiles(dir: string): Map<string, string> {
  if (!existsSync(path.join(dir, 'index.html'))) {
    throw new Error(`The UI is not built (${path.join(dir, 'index.html')} is missing): run npm run build`);
  }
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    files.set(`/${path.relative(dir, full).split(path.sep).join('/')}`, full);
  }
  return files;
}
