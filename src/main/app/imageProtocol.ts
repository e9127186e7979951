import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { net, protocol } from 'electron';
import { BRIDGE_CHANNELS } from '../../shared/api/stationBridge';
import { imageRefFromStationImageUrl } from '../../shared/api/stationImageUrl';
import { APP_ORIGIN } from './appOrigin';

const IMAGE_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.bmp': 'image/bmp',
  '.webp': 'image/webp',
};

/**
 * station-image://image/<ref> serves the file the service resolves for an image reference, and
 * nothing else: the UI never names a path. Resolution is asynchronous so that a busy service
 * worker never blocks the main thread.
 */
export function serveStationImages(resolveImage: (ref: string) => Promise<string | null>): void {
  protocol.handle(BRIDGE_CHANNELS.imageScheme, async (request) => {
    const ref = request.method === 'GET' ? imageRefFromStationImageUrl(request.url) : null;
    const file = ref === null ? null : await resolveImage(ref);
    if (file === null) return notFound();
    try {
      const response = await net.fetch(pathToFileURL(file).toString());
      if (!response.ok) return notFound();
      return new Response(response.body, {
        status: 200,
        headers: {
          'Content-Type': IMAGE_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
          'Access-Control-Allow-Origin': APP_ORIGIN,
          'X-Content-Type-Options': 'nosniff',
        },
      });
    } catch {
      return notFound();
    }
  });
}

function notFound(): Response {
  return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain' } });
}
