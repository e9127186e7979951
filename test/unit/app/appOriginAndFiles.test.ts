import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_PAGE_URL, isAppUrl } from '../../../src/main/app/appOrigin';
import { CONTENT_SECURITY_POLICY } from '../../../src/main/app/contentSecurityPolicy';
import { rendererFileFor } from '../../../src/main/app/rendererFiles';
import { imageRefFromStationImageUrl, stationImageUrl } from '../../../src/shared/api/stationImageUrl';

describe('the app origin', () => {
  it('accepts only the app scheme and host', () => {
    expect(isAppUrl(APP_PAGE_URL)).toBe(true);
    expect(isAppUrl('station-app://ui')).toBe(true);
    for (const url of ['station-app://other/index.html', 'file:///index.html', 'https://ui/index.html', 'station-image://image/x', '', null, 'not a url']) {
      expect(isAppUrl(url)).toBe(false);
    }
  });

  it('has the strict content security policy', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self';");
    expect(CONTENT_SECURITY_POLICY).toContain('img-src \'self\' data: blob: station-image:');
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe');
  });
});

describe('renderer files', () => {
  const dir = path.resolve('/opt/app/dist/renderer');
  it('maps app URLs into the renderer folder with their content type', () => {
    expect(rendererFileFor(dir, 'station-app://ui/index.html')).toEqual({ file: path.join(dir, 'index.html'), contentType: 'text/html; charset=utf-8' });
    expect(rendererFileFor(dir, 'station-app://ui/')).toMatchObject({ file: path.join(dir, 'index.html') });
    expect(rendererFileFor(dir, 'station-app://ui/app.js?x=1')).toMatchObject({ file: path.join(dir, 'app.js'), contentType: 'text/javascript; charset=utf-8' });
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

describe('station image URLs', () => {
  it('round-trip an image reference', () => {
    const url = stationImageUrl('inspection/12/overlay');
    expect(url).toBe('station-image://image/inspection%2F12%2Foverlay');
    expect(imageRefFromStationImageUrl(url)).toBe('inspection/12/overlay');
    expect(imageRefFromStationImageUrl(`${url}?v=2`)).toBe('inspection/12/overlay');
  });

  it('give nothing for other URLs', () => {
    expect(imageRefFromStationImageUrl('station-app://ui/index.html')).toBeNull();
    expect(imageRefFromStationImageUrl('station-image://image/%E0%A4%A')).toBeNull();
  });
});
