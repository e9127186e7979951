import { describe, expect, it } from 'vitest';
import { APP_PAGE_URL, isAppUrl } from '../../../src/main/app/appOrigin';
import { CONTENT_SECURITY_POLICY } from '../../../src/main/app/contentSecurityPolicy';

describe('the app origin', () => {
  it('accepts only the app scheme and host', () => {
    expect(isAppUrl(APP_PAGE_URL)).toBe(true);
    expect(isAppUrl('station-app://ui')).toBe(true);
    for (const url of [
      'station-app://other/index.html',
      'file:///index.html',
      'https://ui/index.html',
      'station-image://image/x',
      '',
      null,
      'not a url',
    ]) {
      expect(isAppUrl(url)).toBe(false);
    }
  });

  it('has the strict content security policy', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self';");
    expect(CONTENT_SECURITY_POLICY).toContain("img-src 'self' data: blob: station-image:");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe');
  });
});
