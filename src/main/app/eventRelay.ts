import { BrowserWindow } from 'electron';
import { BRIDGE_CHANNELS } from '../../shared/api/stationBridge';
import type { StationService } from '../services/stationService';
import { isAppUrl } from './appOrigin';

/** Pushes every service event to every window showing the station page; returns the unsubscribe. */
export function relayStationEvents(service: StationService): () => void {
  return service.onEvent((event) => {
    for (const window of BrowserWindow.getAllWindows()) {
      const contents = window.webContents;
      if (!window.isDestroyed() && !contents.isDestroyed() && isAppUrl(contents.getURL())) contents.send(BRIDGE_CHANNELS.event, event);
    }
  });
}
