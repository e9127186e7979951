import { BrowserWindow, screen } from 'electron';
import type { StationService } from '../services/stationService';
import { APP_PAGE_URL } from './appOrigin';
import { placeOnScreen, readWindowState, saveWindowState, windowStateFile } from './windowState';
import { secureWebPreferences } from './windowSecurity';

export interface MainWindowOptions {
  home: string;
  preloadPath: string;
  service: Pick<StationService, 'disconnect'>;
}

/**
 * The station window: the last size and place (kept in the station folder), the secure
 * preferences, and the UI connection forgotten by the service when the window goes.
 */
export function createMainWindow({ home, preloadPath, service }: MainWindowOptions): BrowserWindow {
  const stateFile = windowStateFile(home);
  const state = readWindowState(stateFile);
  const bounds = placeOnScreen(
    state.bounds,
    screen.getAllDisplays().map((display) => display.workArea),
  );
  const window = new BrowserWindow({
    ...bounds,
    minWidth: 640,
    minHeight: 480,
    show: false,
    title: 'QA Station',
    backgroundColor: '#111418',
    webPreferences: secureWebPreferences(preloadPath),
  });
  if (state.maximised) window.maximize();
  window.once('ready-to-show', () => window.show());

  window.on('close', () => {
    try {
      saveWindowState(stateFile, { bounds: window.getNormalBounds(), maximised: window.isMaximized() });
    } catch (error) {
      console.error(`window state not saved: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
  const clientId = String(window.webContents.id);
  window.webContents.once('destroyed', () => service.disconnect(clientId));

  void window.loadURL(APP_PAGE_URL);
  return window;
}
