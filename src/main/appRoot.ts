import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The installed app's root (where package.json is): the same from src/ under tsx and from dist/. */
export function appRoot(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'qa-station') return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`Cannot find the qa-station package above ${from}`);
    dir = parent;
  }
}

export function appVersion(): string {
  return (JSON.parse(readFileSync(path.join(appRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/** The built UI (npm run build). */
export function rendererDir(): string {
  return path.join(appRoot(), 'dist', 'renderer');
}
