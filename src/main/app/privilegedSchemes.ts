import { protocol } from 'electron';
import { BRIDGE_CHANNELS } from '../../shared/api/stationBridge';
import { APP_SCHEME } from './appOrigin';

/**
 * Must run before the app is ready. Both schemes are standard (real origins, relative URLs) and
 * secure (the page is a secure context, which the camera's getUserMedia requires).
 */
export function registerPrivilegedSchemes(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
    { scheme: BRIDGE_CHANNELS.imageScheme, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } },
  ]);
}
