import { BRIDGE_CHANNELS } from './stationBridge';

/**
 * Image URLs of the Electron shell: `station-image://image/<encoded ref>`. The preload builds them
 * for the UI, the main process's protocol handler reads the reference back; both sides use these
 * two functions so the format lives in one place.
 */
const PREFIX = `${BRIDGE_CHANNELS.imageScheme}://image/`;

export function stationImageUrl(ref: string): string {
  return PREFIX + encodeURIComponent(ref);
}

/** The reference inside a station-image URL, or null for anything else (the service validates it). */
export function imageRefFromStationImageUrl(url: string): string | null {
  if (!url.toLowerCase().startsWith(PREFIX)) return null;
  const encoded = url.slice(PREFIX.length).replace(/[?#].*$/, '');
  try {
    return decodeURIComponent(encoded);
  } catch {
    return null; // a broken %-escape
  }
}
