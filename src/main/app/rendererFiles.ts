import path from 'node:path';
import { contentTypeOf } from '../contentTypes';
import { APP_HOST, APP_SCHEME } from './appOrigin';

export interface RendererFile {
  file: string;
  contentType: string;
}

/**
 * The file under the renderer build folder that an app-scheme URL names, or null: another host,
 * a path that climbs out of the folder, or a kind of file the renderer does not produce.
 */
export function rendererFileFor(rendererDir: string, url: string): RendererFile | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return null;
  let relative: string;
  try {
    relative = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (relative === '/' || relative === '') relative = '/index.html';
  if (relative.includes('\0')) return null;
  const root = path.resolve(rendererDir);
  const file = path.resolve(root, `.${relative}`);
  if (!file.startsWith(root + path.sep)) return null;
  const contentType = contentTypeOf(file);
  return contentType ? { file, contentType } : null;
}
