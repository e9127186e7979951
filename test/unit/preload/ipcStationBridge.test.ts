import { describe, expect, it, vi } from 'vitest';
import { BRIDGE_CHANNELS } from '../../../src/shared/api/stationBridge';
import { createIpcStationBridge, type IpcRendererLike } from '../../../src/preload/ipcStationBridge';

function fakeIpc(answer: (channel: string, ...args: unknown[]) => Promise<unknown>) {
  const handlers = new Map<string, (event: unknown, ...args: unknown[]) => void>();
  const ipc: IpcRendererLike & { emit(channel: string, message: unknown): void; invoked: unknown[][] } = {
    invoked: [],
    invoke(channel, ...args) {
      ipc.invoked.push([channel, ...args]);
      return answer(channel, ...args);
    },
    on(channel, listener) {
      handlers.set(channel, listener);
    },
    emit(channel, message) {
      handlers.get(channel)?.({}, message);
    },
  };
  return ipc;
}

const hotFolder = { folder: null, product: null, watching: true, inspected: 2, rejected: 0, rejectFolder: null, problem: null };

describe('the IPC station bridge', () => {
  it('invokes the call and export channels and passes answers through', async () => {
    const ipc = fakeIpc(async (channel) =>
      channel === BRIDGE_CHANNELS.call ? { ok: true, value: 1 } : { ok: true, value: { savedTo: null } },
    );
    const bridge = createIpcStationBridge(ipc);
    expect(bridge.shell).toBe('electron');
    expect(await bridge.call('products.list', {})).toEqual({ ok: true, value: 1 });
    const filter = { from: null, to: null, product: null, verdict: null };
    expect(await bridge.exportReport(filter)).toEqual({ ok: true, value: { savedTo: null } });
    expect(ipc.invoked).toEqual([
      [BRIDGE_CHANNELS.call, 'products.list', {}],
      [BRIDGE_CHANNELS.exportReport, filter],
    ]);
  });

  it('turns IPC failures and odd answers into internal errors', async () => {
    const failing = createIpcStationBridge(fakeIpc(async () => Promise.reject(new Error("No handler registered for 'station:call'"))));
    expect(await failing.call('products.list', {})).toMatchObject({ ok: false, error: { code: 'internal' } });
    const odd = createIpcStationBridge(fakeIpc(async () => 'surprise'));
    expect(await odd.call('products.list', {})).toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('delivers events by name until unsubscribed', () => {
    const ipc = fakeIpc(async () => null);
    const bridge = createIpcStationBridge(ipc);
    const seen: unknown[] = [];
    const other = vi.fn();
    const off = bridge.on('hotFolder.status', (payload) => seen.push(payload));
    bridge.on('inspection', other);
    ipc.emit(BRIDGE_CHANNELS.event, { event: 'hotFolder.status', payload: hotFolder });
    ipc.emit(BRIDGE_CHANNELS.event, 'garbage');
    off();
    ipc.emit(BRIDGE_CHANNELS.event, { event: 'hotFolder.status', payload: hotFolder });
    expect(seen).toEqual([hotFolder]);
    expect(other).not.toHaveBeenCalled();
  });

  it('makes image URLs the image protocol understands', () => {
    const bridge = createIpcStationBridge(fakeIpc(async () => null));
    expect(bridge.imageUrl('sample/3')).toBe('station-image://image/sample%2F3');
  });
});

describe('the preload', () => {
  it('exposes only the bridge as window.station', async () => {
    const exposeInMainWorld = vi.fn();
    vi.doMock('electron', () => ({ contextBridge: { exposeInMainWorld }, ipcRenderer: { invoke: vi.fn(), on: vi.fn() } }));
    await import('../../../src/preload/preload.js');
    expect(exposeInMainWorld).toHaveBeenCalledTimes(1);
    const [name, api] = exposeInMainWorld.mock.calls[0] as [string, Record<string, unknown>];
    expect(name).toBe('station');
    expect(Object.keys(api).sort()).toEqual(['call', 'exportReport', 'imageUrl', 'on', 'shell']);
    vi.doUnmock('electron');
  });
});
