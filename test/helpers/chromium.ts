import { existsSync } from 'node:fs';

/** Debian's Chromium (apt-get install -y chromium); Playwright's own browsers are never downloaded. */
export const CHROMIUM_PATH = process.env.QA_STATION_CHROMIUM ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM_PATH);

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
