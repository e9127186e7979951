import type { ApiResult } from '../shared/api/apiErrors';
import { BRIDGE_CHANNELS, type StationBridge } from '../shared/api/stationBridge';
import type { EventName, StationEvent } from '../shared/api/stationEvents';
import { stationImageUrl } from '../shared/api/stationImageUrl';

/** The part of Electron's ipcRenderer the bridge uses (kept narrow so tests can fake it). */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/**
 * window.station over IPC. Only these functions reach the page: ipcRenderer itself never does,
 * so the page cannot talk on any other channel. Every answer is the ApiResult envelope, even when
 * IPC itself fails (e.g. while the station shuts down).
 */
export function createIpcStationBridge(ipc: IpcRendererLike): StationBridge {
  const listeners = new Map<string, Set<(payload: never) => void>>();
  ipc.on(BRIDGE_CHANNELS.event, (_event, message) => deliver(listeners, message));

  return {
    call: (method, input) => invokeSafely(ipc, BRIDGE_CHANNELS.call, method, input),
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      const entry = listener as (payload: never) => void;
      set.add(entry);
      return () => {
        set.delete(entry);
      };
    },
    imageUrl: (ref) => stationImageUrl(ref),
    exportReport: (filter) => invokeSafely(ipc, BRIDGE_CHANNELS.exportReport, filter) as Promise<ApiResult<{ savedTo: string | null }>>,
    shell: 'electron',
  };
}

async function invokeSafely(ipc: IpcRendererLike, channel: string, ...args: unknown[]): Promise<ApiResult<unknown>> {
  try {
    const result = await ipc.invoke(channel, ...args);
    if (isApiResult(result)) return result;
    return { ok: false, error: { code: 'internal', message: 'The station sent an unexpected answer.' } };
  } catch (error) {
    return {
      ok: false,
      error: { code: 'internal', message: `The station did not answer: ${error instanceof Error ? error.message : String(error)}` },
    };
  }
}

/** The main side validated events already; this only guards the page against a wrong shape. */
function deliver(listeners: Map<string, Set<(payload: never) => void>>, message: unknown): void {
  if (typeof message !== 'object' || message === null || typeof (message as StationEvent).event !== 'string') return;
  const { event, payload } = message as { event: EventName; payload: never };
  for (const listener of listeners.get(event) ?? []) {
    try {
      listener(payload);
    } catch (error) {
      console.error(`station event listener for ${event} failed`, error);
    }
  }
}

function isApiResult(value: unknown): value is ApiResult<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { ok?: unknown; error?: { code?: unknown; message?: unknown } };
  if (candidate.ok === true) return 'value' in candidate;
  return candidate.ok === false && typeof candidate.error?.code === 'string' && typeof candidate.error?.message === 'string';
}
