import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rendererFileFor } from '../../../src/main/app/rendererFiles';

describe('renderer files', () => {
  const dir = path.resolve('/opt/app/dist/renderer');
  it('maps app URLs into the renderer folder with their content type', () => {
    expect(rendererFileFor(dir, 'station-app://ui/index.html')).toEqual({
      file: path.join(dir, 'index.html'),
      contentType: 'text/html; charset=utf-8',
    });
    expect(rendererFileFor(dir, 'station-app://ui/')).toMatchObject({ file: path.join(dir, 'index.html') });
    expect(rendererFileFor(dir, 'station-app://ui/app.js?x=1')).toMatchObject({
      file: path.join(dir, 'app.js'),
      contentType: 'text/javascript; charset=utf-8',
    });
  });

  it('refuses other hosts, climbing out and unknown kinds of file', () => {
    for (const url of [
      'station-app://other/index.html',
      'station-app://ui/..%2F..%2Fpackage.json',
      'station-app://ui/secret.sqlite',
      'station-app://ui/%E0%A4%A',
      'file:///opt/app/dist/renderer/index.html',
    ]) {
      expect(rendererFileFor(dir, url)).toBeNull();
    }
    // The URL parser folds dot segments itself: what is left still stays inside the folder.
    expect(rendererFileFor(dir, 'station-app://ui/%2e%2e/%2e%2e/main/app/electronMain.js')?.file.startsWith(dir + path.sep)).toBe(true);
  });
});
