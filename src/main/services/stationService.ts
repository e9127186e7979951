import type { Writable } from 'node:stream';
import type { ApiResult } from '../../shared/api/apiErrors';
import type { StationEvent } from '../../shared/api/stationEvents';

/**
 * What the transports (Electron IPC in src/main/app, the browser host in src/main/host) need from
 * the station: one entry point per bridge function. Each UI connection is a `clientId` with its own
 * session (operator, unlocked supervisor).
 */
export interface StationService {
  /** Validates `method` and `input` against STATION_API, checks access, runs it. Never throws. */
  dispatch(clientId: string, method: unknown, input: unknown): Promise<ApiResult<unknown>>;
  /** Pushed events for every UI; returns the unsubscribe function. */
  onEvent(listener: (event: StationEvent) => void): () => void;
  /** The file behind an image reference, inside the station's folders; null if unknown or invalid. */
  resolveImage(ref: unknown): Promise<string | null>;
  /** Streams the CSV report for a filter (validated here) into `out`; resolves with the row count. */
  writeReport(filter: unknown, out: Writable): Promise<ApiResult<{ rows: number }>>;
  /** Forgets a UI connection's session (window closed, socket gone). */
  disconnect(clientId: string): void;
  /** Writes to the station log (the main process's own warnings and errors go here too). */
  log(level: 'info' | 'warn' | 'error', message: string, details?: Record<string, unknown>): void;
  close(): Promise<void>;
}

export interface StationServiceOptions {
  /** The station data folder (catalogue, models, images). */
  home: string;
  shell: 'electron' | 'browser-host';
  appVersion: string;
  /** Epochs of the two training phases instead of the preset's (quick trials and end-to-end tests). */
  trainingEpochs?: { phase1: number; phase2: number };
}
