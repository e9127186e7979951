/**
 * Where the UI lives. The renderer is served from a privileged custom scheme rather than file://,
 * so it has a real origin: CSP 'self', permission checks and the IPC sender check all key on it,
 * and no other page (file:// or remote) can ever match.
 */
export const APP_SCHEME = 'station-app';
export const APP_HOST = 'ui';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_PAGE_URL = `${APP_ORIGIN}/index.html`;

/** Whether a URL (or an origin) belongs to the app's own page. */
export function isAppUrl(url: string | null | undefined): boolean {
  if (!url) return false;
  try {
    // Node's URL reports origin "null" for custom schemes: compare scheme and host instead.
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
  } catch {
    return false;
  }
}
