import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { app, type BrowserWindow, dialog, session } from 'electron';
import { defaultStationHome } from '../stationPaths';
import type { StationService } from '../services/stationService';
import { openStationServiceInWorker } from '../services/station/stationServiceWorkerClient';
import { forwardProcessProblems } from '../services/workers/processProblems';
import { installAppMenu } from './appMenu';
import { relayStationEvents } from './eventRelay';
import { registerIpcHandlers, unregisterIpcHandlers } from './ipcHandlers';
import { createMainWindow } from './mainWindow';
import { registerPrivilegedSchemes } from './privilegedSchemes';
import { serveRenderer } from './rendererProtocol';
import { serveStationImages } from './imageProtocol';
import { hardenWebContents, restrictPermissions } from './windowSecurity';
import { keepNewFilesPrivate } from '../privateFiles';

/**
 * Electron entry (package.json "main"). Thin on purpose: the station service runs in a worker
 * thread, this thread only owns windows, IPC and the two protocols.
 *
 * Layout at run time (dist/ in development, app.asar when packaged):
 *   dist/main/app/electronMain.js, dist/preload/preload.js, dist/renderer/index.html
 */
const distDir = path.join(__dirname, '..', '..');
const preloadPath = path.join(distDir, 'preload', 'preload.js');
const rendererDir = path.join(distDir, 'renderer');

let mainWindow: BrowserWindow | null = null;
let service: StationService | null = null;
let shutdown: 'running' | 'closing' | 'closed' = 'running';

function main(): void {
  keepNewFilesPrivate();
  // A second station on the same folder would fight over the catalogue: focus the first instead.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.enableSandbox();
  registerPrivilegedSchemes();
  app.on('second-instance', focusMainWindow);
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', closeServiceBeforeQuit);
  app.whenReady().then(start, failToStart);
}

async function start(): Promise<void> {
  const home = defaultStationHome();
  mkdirSync(home, { recursive: true });
  restrictPermissions(session.defaultSession);
  installAppMenu();
  serveRenderer(rendererDir);
  service = await openStationServiceInWorker({ home, shell: 'electron', appVersion: app.getVersion() });
  forwardProcessProblems(service, 'electron main');
  const opened = service;
  serveStationImages((ref) => opened.resolveImage(ref));
  registerIpcHandlers(opened);
  relayStationEvents(opened);
  mainWindow = createMainWindow({ home, preloadPath, service: opened });
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
}

function failToStart(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`QA Station could not start: ${message}`);
  dialog.showErrorBox('QA Station could not start', message);
  app.exit(1);
}

function focusMainWindow(): void {
  if (!mainWindow) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

/** Quitting waits for the service to close (catalogue flushed, training stopped), then quits for real. */
function closeServiceBeforeQuit(event: Electron.Event): void {
  if (shutdown === 'closed' || !service) return;
  event.preventDefault();
  if (shutdown === 'closing') return;
  shutdown = 'closing';
  unregisterIpcHandlers();
  service
    .close()
    .catch((error: unknown) => console.error(`station service did not close cleanly: ${String(error)}`))
    .finally(() => {
      shutdown = 'closed';
      app.quit();
    });
}

main();
