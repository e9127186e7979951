import type { StationBridge } from '../shared/api/stationBridge';

declare global {
  interface Window {
    /** Installed by the Electron preload, or by hostBridge.ts in the browser host before the UI renders. */
    station?: StationBridge;
  }
}
