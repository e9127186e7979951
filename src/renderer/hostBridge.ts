import type { ApiResult } from '../shared/api/apiErrors';
import type { ImageRef, ReportFilter } from '../shared/api/apiRecords';
import { HOST_CLIENT_HEADER, HOST_PATHS, type StationBridge } from '../shared/api/stationBridge';
import type { EventName, EventPayload, StationEvent } from '../shared/api/stationEvents';

const RECONNECT_MS = 2000;

/** One id per browser tab: the host keeps this tab's operator and supervisor session under it. */
function tabClientId(): string {
  const existing = sessionStorage.getItem('qa-station-client');
  if (existing) return existing;
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  const id = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  sessionStorage.setItem('qa-station-client', id);
  return id;
}

function failure(message: string): ApiResult<never> {
  return { ok: false, error: { code: 'internal', message } };
}

/**
 * window.station for the browser host: API calls are POSTs to /api/<method>, events arrive on a
 * WebSocket (reconnected when the station restarts), images and reports are plain same-origin URLs.
 * The launch token travels in an HttpOnly cookie the host set; this script never sees it.
 */
export function createHostBridge(): StationBridge {
  const clientId = tabClientId();
  const listeners = new Map<EventName, Set<(payload: never) => void>>();

  const connect = () => {
    const socket = new WebSocket(`ws://${location.host}${HOST_PATHS.events}`);
    socket.onmessage = (message) => {
      let event: StationEvent;
      try {
        event = JSON.parse(String(message.data)) as StationEvent;
      } catch {
        return;
      }
      for (const listener of listeners.get(event.event) ?? []) listener(event.payload as never);
    };
    socket.onclose = () => setTimeout(connect, RECONNECT_MS);
  };
  connect();

  return {
    shell: 'browser-host',
    async call(method, input): Promise<ApiResult<unknown>> {
      try {
        const response = await fetch(`${HOST_PATHS.api}${method}`, {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'Content-Type': 'application/json', [HOST_CLIENT_HEADER]: clientId },
          body: JSON.stringify({ input }),
        });
        const text = await response.text();
        if (response.headers.get('content-type')?.startsWith('application/json')) return JSON.parse(text) as ApiResult<unknown>;
        return failure(`The station answered ${response.status}: ${text.slice(0, 200)}`);
      } catch (error) {
        return failure(`The station cannot be reached (${error instanceof Error ? error.message : String(error)}). Is it still running?`);
      }
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (payload: never) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (payload: never) => void);
    },
    imageUrl(ref: ImageRef): string {
      return `${HOST_PATHS.image}${ref.split('/').map(encodeURIComponent).join('/')}`;
    },
    async exportReport(filter: ReportFilter) {
      const link = document.createElement('a');
      link.href = `${HOST_PATHS.report}?filter=${encodeURIComponent(JSON.stringify(filter))}`;
      link.download = '';
      document.body.append(link);
      link.click();
      link.remove();
      return { ok: true, value: { savedTo: null } };
    },
  };
}
