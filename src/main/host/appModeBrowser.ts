import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/microsoft-edge',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

/** Linux without X11 or Wayland (a server, CI, a console) cannot show a window. */
export function hasDisplay(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): boolean {
  return platform !== 'linux' || Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/** An installed Chromium-family browser, if there is one (QA_STATION_BROWSER overrides). */
export function findAppModeBrowser(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.QA_STATION_BROWSER) return existsSync(env.QA_STATION_BROWSER) ? env.QA_STATION_BROWSER : null;
  return CANDIDATES.find((c) => existsSync(c)) ?? null;
}

/**
 * Opens the station in a browser window without tabs or address bar (app mode), with its own
 * profile under the station's folder so it never mixes with someone's everyday browsing.
 */
export function openInAppMode(browser: string, url: string, home: string): void {
  const child = spawn(
    browser,
    [
      `--app=${url}`,
      `--user-data-dir=${path.join(home, 'browser-profile')}`,
      '--no-first-run',
      '--disable-sync',
      '--disable-background-networking',
      '--disable-component-update',
    ],
    {
      detached: true,
      stdio: 'ignore',
    },
  );
  child.on('error', () => undefined); // the address is printed anyway
  child.unref();
}
