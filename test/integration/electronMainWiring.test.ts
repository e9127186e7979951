import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';

/**
 * electronMain.ts against a stand-in 'electron' module (no Electron binary here) and the real
 * station service in its worker: checks the wiring, not Chromium's behaviour.
 */
type Handler = (...args: any[]) => any;

function fakeElectron(home: string) {
  const appEvents = new Map<string, Handler>();
  const protocols = new Map<string, Handler>();
  const ipcHandlers = new Map<string, Handler>();
  const permissions: { request?: Handler; check?: Handler; device?: Handler } = {};
  const windows: FakeWindow[] = [];
  const calls: string[] = [];

  class FakeWindow {
    readonly webContents = {
      id: 11,
      on: vi.fn(),
      once: vi.fn(),
      send: vi.fn(),
      getURL: () => 'station-app://ui/index.html',
      isDestroyed: () => false,
    };
    loadedUrl = '';
    constructor(readonly options: any) {
      windows.push(this);
    }
    maximize = vi.fn();
    once = vi.fn();
    on = vi.fn();
    isDestroyed = () => false;
    loadURL(url: string) {
      this.loadedUrl = url;
      return Promise.resolve();
    }
    static getAllWindows = () => windows;
    static fromWebContents = () => windows[0] ?? null;
  }

  const electron = {
    app: {
      requestSingleInstanceLock: () => {
        calls.push('lock');
        return true;
      },
      enableSandbox: () => calls.push('sandbox'),
      on: (event: string, handler: Handler) => appEvents.set(event, handler),
      whenReady: () => Promise.resolve(),
      getVersion: () => '1.2.3-wiring',
      getPath: () => home,
      quit: vi.fn(() => calls.push('quit')),
      exit: vi.fn(),
      isPackaged: false,
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown) => calls.push(`schemes ${JSON.stringify(schemes)}`),
      handle: (scheme: string, handler: Handler) => protocols.set(scheme, handler),
    },
    net: { fetch: async (url: string) => new Response(readFileSync(fileURLToPath(url))) },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: Handler) => (permissions.request = h),
        setPermissionCheckHandler: (h: Handler) => (permissions.check = h),
        setDevicePermissionHandler: (h: Handler) => (permissions.device = h),
      },
    },
    Menu: { buildFromTemplate: (template: unknown) => template, setApplicationMenu: vi.fn() },
    BrowserWindow: FakeWindow,
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    ipcMain: {
      handle: (channel: string, handler: Handler) => ipcHandlers.set(channel, handler),
      removeHandler: (channel: string) => ipcHandlers.delete(channel),
    },
    dialog: { showSaveDialog: vi.fn(), showErrorBox: vi.fn((title: string, message: string) => calls.push(`error ${title}: ${message}`)) },
  };
  return { electron, appEvents, protocols, ipcHandlers, permissions, windows, calls };
}

describe('electronMain wiring (stand-in electron module)', () => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'qa-station-electron-'));
  const previousHome = process.env.QA_STATION_HOME;
  afterAll(() => {
    if (previousHome === undefined) delete process.env.QA_STATION_HOME;
    else process.env.QA_STATION_HOME = previousHome;
    rmSync(home, { recursive: true, force: true });
  });

  it('starts the service in a worker, secures the window, answers IPC and quits cleanly', async () => {
    process.env.QA_STATION_HOME = home;
    const fake = fakeElectron(home);
    vi.doMock('electron', () => ({ ...fake.electron, default: fake.electron }));
    await import('../../src/main/app/electronMain.js');
    await vi.waitFor(() => expect(fake.windows).toHaveLength(1), { timeout: 60_000, interval: 100 });

    expect(fake.calls.slice(0, 3)).toEqual(['lock', 'sandbox', expect.stringContaining('"station-app"')]);
    const window = fake.windows[0]!;
    expect(window.loadedUrl).toBe('station-app://ui/index.html');
    expect(window.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    });
    expect(window.options.webPreferences.preload).toMatch(/preload[\\/]preload\.js$/);

    const frame = { url: 'station-app://ui/index.html', parent: null };
    const call = fake.ipcHandlers.get('station:call')!;
    const info = await call({ sender: { id: 11 }, senderFrame: frame }, 'station.info', {});
    expect(info).toMatchObject({ ok: true, value: { appVersion: '1.2.3-wiring', shell: 'electron' } });
    expect(await call({ sender: { id: 11 }, senderFrame: { url: 'https://evil.test/', parent: null } }, 'station.info', {})).toMatchObject({
      ok: false,
      error: { code: 'not-authorised' },
    });

    const page: Response = await fake.protocols.get('station-app')!({ method: 'GET', url: 'station-app://ui/index.html' });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await page.text()).toContain('<div id="root">');
    expect((await fake.protocols.get('station-app')!({ method: 'GET', url: 'station-app://ui/..%2F..%2Fpackage.json' })).status).toBe(404);
    expect(
      (await fake.protocols.get('station-image')!({ method: 'GET', url: 'station-image://image/inspection%2F999%2Fimage' })).status,
    ).toBe(404);

    const allow = (permission: string, url: string, mediaTypes?: string[]) =>
      new Promise((resolve) =>
        fake.permissions.request!({}, permission, resolve, { requestingUrl: url, ...(mediaTypes ? { mediaTypes } : {}) }),
      );
    expect(await allow('media', 'station-app://ui/index.html', ['video'])).toBe(true);
    expect(await allow('media', 'station-app://ui/index.html', ['video', 'audio'])).toBe(false);
    expect(await allow('media', 'https://evil.test/', ['video'])).toBe(false);
    expect(await allow('geolocation', 'station-app://ui/index.html')).toBe(false);
    expect(fake.permissions.check!({}, 'media', 'station-app://ui')).toBe(true);
    expect(fake.permissions.check!({}, 'notifications', 'station-app://ui')).toBe(false);

    const quitEvent = { preventDefault: vi.fn() };
    fake.appEvents.get('before-quit')!(quitEvent);
    expect(quitEvent.preventDefault).toHaveBeenCalled();
    await vi.waitFor(() => expect(fake.electron.app.quit).toHaveBeenCalled(), { timeout: 30_000, interval: 50 });
    const again = { preventDefault: vi.fn() };
    fake.appEvents.get('before-quit')!(again);
    expect(again.preventDefault).not.toHaveBeenCalled();
    expect(fake.calls.filter((c) => c.startsWith('error'))).toEqual([]);
    vi.doUnmock('electron');
  });
});
