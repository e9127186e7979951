import type { ApiResult } from './apiErrors';
import type { EventName, EventPayload } from './stationEvents';
import type { ImageRef, ReportFilter } from './apiRecords';
import type { MethodName } from './stationApi';

/**
 * What the renderer sees as `window.station`: the Electron preload exposes it through
 * contextBridge, and the browser host's page script provides the same object over HTTP +
 * WebSocket. Nothing else of the main side is reachable from the UI.
 */
export interface StationBridge {
  /** One API call; the main side validates `input` against STATION_API[method].input. */
  call(method: MethodName, input: unknown): Promise<ApiResult<unknown>>;
  /** Subscribes to pushed events; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  /** A URL the UI can put in <img src> for an image reference. */
  imageUrl(ref: ImageRef): string;
  /** Saves the CSV report for a filter (a download in the browser, a save dialog in Electron). */
  exportReport(filter: ReportFilter): Promise<ApiResult<{ savedTo: string | null }>>;
  readonly shell: 'electron' | 'browser-host';
}

/** IPC channel names (Electron) and HTTP paths (browser host) that carry the bridge. */
export const BRIDGE_CHANNELS = {
  call: 'station:call',
  event: 'station:event',
  exportReport: 'station:export-report',
  imageScheme: 'station-image',
} as const;

export const HOST_PATHS = {
  api: '/api/',
  events: '/events',
  image: '/image/',
  report: '/report.csv',
} as const;

/** The header naming a browser tab's session on the host's API calls (the tab makes up its id). */
export const HOST_CLIENT_HEADER = 'x-station-client';
