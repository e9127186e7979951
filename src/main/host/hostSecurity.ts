import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { contentSecurityPolicy } from '../../shared/contentSecurityPolicy';
import { HOST_CLIENT_HEADER } from '../../shared/api/stationBridge';

export const TOKEN_COOKIE = 'qa_station_token';
export const CLIENT_HEADER = HOST_CLIENT_HEADER;

/** The page's policy: the shared one, plus this host's own WebSocket and no framing. */
export const CONTENT_SECURITY_POLICY = contentSecurityPolicy({ connect: ['ws://127.0.0.1:*'], noFraming: true });

export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

export function newLaunchToken(): string {
  return randomBytes(32).toString('base64url');
}

export function tokensMatch(expected: string, given: string | undefined | null): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function cookieToken(request: IncomingMessage): string | null {
  const header = request.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === TOKEN_COOKIE) return rest.join('=');
  }
  return null;
}

/**
 * Only requests addressed to this host by its loopback name: a web page elsewhere that points a DNS
 * name at 127.0.0.1 (DNS rebinding) sends its own name in Host and is refused.
 */
export function hostHeaderAllowed(request: IncomingMessage, port: number): boolean {
  return request.headers.host === `127.0.0.1:${port}` || request.headers.host === `localhost:${port}`;
}

/** State-changing requests and the event socket must come from the station's own page. */
export function originAllowed(request: IncomingMessage, port: number): boolean {
  const origin = request.headers.origin;
  return origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
}

export const CLIENT_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;
