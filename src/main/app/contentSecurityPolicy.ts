import { contentSecurityPolicy } from '../../shared/contentSecurityPolicy';

/**
 * Sent as a response header on every page of the app scheme, in addition to the renderer's meta
 * tag: a header also covers responses the meta tag cannot (and a stripped tag). Both apply, so the
 * stricter wins; here there is no WebSocket, the Electron UI talks over IPC only.
 */
export const CONTENT_SECURITY_POLICY = contentSecurityPolicy({ img: ['station-image:'] });
