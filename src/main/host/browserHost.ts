import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { reportFilterSchema } from '../../shared/api/apiRecords';
import { MAX_IMAGE_BYTES, MAX_IMPORT_REQUEST_BYTES } from '../../shared/api/stationApi';
import { HOST_PATHS } from '../../shared/api/stationBridge';
import { RepeatThrottle } from '../services/station/repeatThrottle';
import type { StationService } from '../services/stationService';
import { BodiesBusyError, BodyBudget, BodyTooLargeError, readJsonBody } from './requestBody';
import {
  CLIENT_HEADER,
  CLIENT_ID_PATTERN,
  cookieToken,
  hostHeaderAllowed,
  newLaunchToken,
  originAllowed,
  SECURITY_HEADERS,
  TOKEN_COOKIE,
  tokensMatch,
} from './hostSecurity';
import { contentType, listStaticFiles } from './staticFiles';

/** Image uploads travel as base64 JSON: a batch of 20 large photos fits. */
/** A URL path segment decoded, or null when its percent-escapes are malformed. */
function decodedRef(raw: string): string | null {
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

/** Body limits: an image call carries one image (base64), an import a batch, anything else is small. */
const base64Bytes = (bytes: number) => Math.ceil((bytes * 4) / 3);
const BODY_LIMITS: Record<string, number> = {
  'inspect.image': base64Bytes(MAX_IMAGE_BYTES) + 64 * 1024,
  'products.importImages': base64Bytes(MAX_IMPORT_REQUEST_BYTES) + 256 * 1024,
};
export const DEFAULT_BODY_LIMIT = 1024 * 1024;
/**
 * Large bodies (images, import batches) being read or handled at once: one import batch's worth.
 * Inspections run one at a time anyway; more in flight would only hold memory (each body is held
 * as bytes, as text and as its parsed copy on the way to the service thread). Small calls are not
 * counted, so the UI stays responsive during an upload.
 */
export const LARGE_BODIES_IN_FLIGHT_LIMIT = base64Bytes(MAX_IMPORT_REQUEST_BYTES) + 256 * 1024;

export interface BrowserHostOptions {
  service: StationService;
  /** The built renderer (dist/renderer). */
  staticDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** Fixed token (tests); a random one per launch otherwise. */
  token?: string;
}

export interface BrowserHost {
  /** Open this once: it carries the launch token, which the page keeps in a cookie. */
  url: string;
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

function send(response: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  response.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type });
  response.end(body);
}

/**
 * The station's UI and API on 127.0.0.1 only, for kiosk browsers and the end-to-end tests: the same
 * STATION_API calls as Electron's IPC (POST /api/<method>), images by reference, the CSV report as a
 * download and pushed events on a WebSocket. Every request needs the launch token.
 */
export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const token = options.token ?? newLaunchToken();
  const files = listStaticFiles(options.staticDir);
  let port = 0;
  const bodies = new BodyBudget(LARGE_BODIES_IN_FLIGHT_LIMIT);

  // The launch token is redeemed once, for a session cookie of its own: an address seen later
  // (history, a screenshot, a log) opens nothing.
  let session: string | null = null;
  // Refusals go to the station log, at most one of a kind a minute.
  const notes = new RepeatThrottle();
  const noteOnce = (message: string, details: Record<string, unknown>) => {
    if (notes.admit(message, Date.now()).record) options.service.log('warn', `browser host: ${message}`, details);
  };
  const hasSession = (request: IncomingMessage) => session !== null && tokensMatch(session, cookieToken(request));
  const authorised = (request: IncomingMessage) => hostHeaderAllowed(request, port) && hasSession(request);

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', `http://127.0.0.1:${port}`);
    if (!hostHeaderAllowed(request, port)) return send(response, 421, 'Wrong host');
    // First visit: trade the token in the address for a cookie, then drop it from the address bar.
    if (url.pathname === '/' && url.searchParams.has('token')) {
      if (!tokensMatch(token, url.searchParams.get('token')))
        return send(response, 403, 'This address has an old or wrong token: use the address the station printed at start.');
      if (hasSession(request)) {
        response.writeHead(303, { ...SECURITY_HEADERS, Location: '/' });
        return void response.end();
      }
      if (session !== null)
        return send(
          response,
          403,
          'This start address has been used already: go back to the window it opened, or restart the station for a new address.',
        );
      session = newLaunchToken();
      response.writeHead(303, {
        ...SECURITY_HEADERS,
        Location: '/',
        'Set-Cookie': `${TOKEN_COOKIE}=${session}; HttpOnly; SameSite=Strict; Path=/`,
      });
      return void response.end();
    }
    if (!authorised(request))
      return send(response, 403, 'Open the address the station printed at start (it carries this launch\u2019s token).');

    if (url.pathname.startsWith(HOST_PATHS.api)) return handleApi(request, response, url.pathname.slice(HOST_PATHS.api.length));
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, 'Method not allowed');
    if (url.pathname.startsWith(HOST_PATHS.image)) {
      const ref = decodedRef(url.pathname.slice(HOST_PATHS.image.length));
      return ref === null ? send(response, 400, 'Malformed image address') : await serveImage(response, ref);
    }
    if (url.pathname === HOST_PATHS.report) return serveReport(response, url.searchParams.get('filter'));
    const file = files.get(url.pathname === '/' ? '/index.html' : url.pathname);
    if (!file) return send(response, 404, 'Not found');
    response.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': contentType(file) });
    createReadStream(file).pipe(response);
  }

  async function handleApi(request: IncomingMessage, response: ServerResponse, method: string): Promise<void> {
    const clientId = request.headers[CLIENT_HEADER];
    if (request.method !== 'POST') return send(response, 405, 'API calls are POST');
    if (!originAllowed(request, port)) {
      noteOnce('cross-origin API call refused', { origin: String(request.headers.origin ?? '') });
      return send(response, 403, 'Cross-origin API calls are refused');
    }
    if (typeof clientId !== 'string' || !CLIENT_ID_PATTERN.test(clientId))
      return send(response, 400, `Missing or malformed ${CLIENT_HEADER} header`);
    let read: { body: unknown; bytes: number };
    try {
      read = await readJsonBody(request, BODY_LIMITS[method] ?? DEFAULT_BODY_LIMIT, BODY_LIMITS[method] ? bodies : undefined);
    } catch (error) {
      const [status, code, message] =
        error instanceof BodyTooLargeError
          ? [413, 'invalid-request', error.message]
          : error instanceof BodiesBusyError
            ? [503, 'busy', error.message]
            : [400, 'invalid-request', 'The request body is not valid JSON'];
      // The rest of the body is not read: close the connection rather than leave it half-read.
      response.setHeader('Connection', 'close');
      if (status !== 400) noteOnce(`request refused: ${code}`, { method, status, message });
      send(response, status, JSON.stringify({ ok: false, error: { code, message } }), 'application/json');
      response.once('finish', () => request.destroy());
      return;
    }
    try {
      const { body } = read;
      const input = typeof body === 'object' && body !== null && 'input' in body ? (body as { input: unknown }).input : undefined;
      const result = await options.service.dispatch(clientId, method, input);
      send(response, 200, JSON.stringify(result), 'application/json');
    } finally {
      if (BODY_LIMITS[method]) bodies.give(read.bytes);
    }
  }

  async function serveImage(response: ServerResponse, ref: string): Promise<void> {
    const file = await options.service.resolveImage(ref);
    if (!file) return send(response, 404, 'No such image');
    const stream = createReadStream(file);
    stream.once('open', () => {
      response.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': contentType(file) });
      stream.pipe(response);
    });
    stream.once('error', () => send(response, 404, 'The image file is gone'));
  }

  async function serveReport(response: ServerResponse, rawFilter: string | null): Promise<void> {
    let filter: ReturnType<typeof reportFilterSchema.parse>;
    try {
      filter = reportFilterSchema.parse(JSON.parse(rawFilter ?? 'null'));
    } catch {
      return send(response, 400, 'The report filter is malformed');
    }
    const day = new Date().toISOString().slice(0, 10);
    response.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="qa-report-${day}.csv"`,
    });
    const result = await options.service.writeReport(filter, response);
    if (!result.ok && !response.writableEnded) response.end();
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) send(response, 500, error instanceof Error ? error.message : String(error));
      else response.destroy();
    });
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 1024 });
  server.on('upgrade', (request, socket, head) => {
    socket.on('error', () => socket.destroy()); // a client that resets mid-handshake
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    if (path !== HOST_PATHS.events || !authorised(request) || !originAllowed(request, port)) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => sockets.emit('connection', ws, request));
  });
  // Events go to every page; pages never send anything on this socket.
  const unsubscribe = options.service.onEvent((event) => {
    const text = JSON.stringify(event);
    for (const ws of sockets.clients) if (ws.readyState === ws.OPEN) ws.send(text);
  });
  // A malformed or oversized frame makes ws emit 'error' and close that socket with 1002 / 1009;
  // without a listener the error would be thrown and take the whole station down.
  sockets.on('connection', (ws: WebSocket) => {
    ws.on('error', (error) => {
      noteOnce('event socket closed after a bad frame', { message: error.message });
      ws.terminate();
    });
    ws.on('message', () => ws.close(1008, 'This socket only sends'));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    async close() {
      unsubscribe();
      for (const ws of sockets.clients) ws.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
