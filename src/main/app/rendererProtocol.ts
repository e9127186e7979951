import { pathToFileURL } from 'node:url';
import { net, protocol } from 'electron';
import { APP_SCHEME } from './appOrigin';
import { CONTENT_SECURITY_POLICY } from './contentSecurityPolicy';
import { rendererFileFor } from './rendererFiles';

/** Serves the renderer build (dist/renderer) on the app scheme, with the CSP as a header. */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const found = request.method === 'GET' ? rendererFileFor(rendererDir, request.url) : null;
    if (!found) return notFound();
    try {
      // net.fetch of a file URL also reads inside app.asar.
      const response = await net.fetch(pathToFileURL(found.file).toString());
      if (!response.ok) return notFound();
      return new Response(response.body, {
        status: 200,
        headers: {
          'Content-Type': found.contentType,
          'Content-Security-Policy': CONTENT_SECURITY_POLICY,
          'X-Content-Type-Options': 'nosniff',
          'Cache-Control': 'no-store',
        },
      });
    } catch {
      return notFound();
    }
  });
}

function notFound(): Response {
  return new Response('Not found', {
    status: 404,
    headers: { 'Content-Type': 'text/plain', 'Content-Security-Policy': CONTENT_SECURITY_POLICY },
  });
}
