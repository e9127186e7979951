import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { generateSyntheticDataset } from '../../src/main/synthetic/syntheticDataset';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBrowserHost, type BrowserHost } from '../../src/main/host/browserHost';
import { openStationService } from '../../src/main/services/station/stationBackend';
import type { StationService } from '../../src/main/services/stationService';

/**
 * The browser host's HTTP and WebSocket surface: token, origin and host checks, API, events, report.
 * Every test starts a station and a host of its own (a fresh launch token); those that need the
 * page's session cookie sign in first, so the tests pass in any order.
 */
let home: string;
let ui: string;
let data: string;
let service: StationService;
let host: BrowserHost;
let cookie: string;

beforeAll(async () => {
  ui = mkdtempSync(path.join(os.tmpdir(), 'qa-host-ui-'));
  data = mkdtempSync(path.join(os.tmpdir(), 'qa-host-data-'));
  await generateSyntheticDataset({ outDir: data, classes: 1, seed: 2, size: 48, nMax: 2, testGood: 0, testDefectsPerType: 0 });
  writeFileSync(path.join(ui, 'index.html'), '<!doctype html><title>QA Station</title>');
  writeFileSync(path.join(ui, 'app.js'), 'console.log(1)');
});
afterAll(() => {
  rmSync(ui, { recursive: true, force: true });
  rmSync(data, { recursive: true, force: true });
});
beforeEach(async () => {
  home = mkdtempSync(path.join(os.tmpdir(), 'qa-host-home-'));
  service = await openStationService({ home, shell: 'browser-host', appVersion: '0.0.0-test' });
  host = await startBrowserHost({ service, staticDir: ui });
  cookie = '';
});
afterEach(async () => {
  await host.close();
  await service.close();
  rmSync(home, { recursive: true, force: true });
});

/** Opens the launch address as the page would, and keeps the session cookie it is given. */
async function signIn(): Promise<void> {
  const response = await fetch(host.url, { redirect: 'manual' });
  expect(response.status).toBe(303);
  cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] as string;
}

const api = (method: string, input: unknown, headers: Record<string, string> = {}) =>
  fetch(`${host.origin}/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, origin: host.origin, 'x-station-client': 'tab-000001', ...headers },
    body: JSON.stringify({ input }),
  });

describe('browser host', () => {
  it('listens on 127.0.0.1 only and refuses requests without the launch token', async () => {
    expect(host.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${host.origin}/`)).status).toBe(403);
    expect((await fetch(`${host.origin}/?token=wrong`)).status).toBe(403);
  });

  it('trades the token in the address for an HttpOnly SameSite cookie', async () => {
    const response = await fetch(host.url, { redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/');
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    cookie = setCookie.split(';')[0] as string;
    expect(cookie).not.toContain(host.token); // a session of its own, not the token in the address
    // The address works once: seen again (history, a screenshot) it opens nothing ...
    expect((await fetch(host.url, { redirect: 'manual' })).status).toBe(403);
    // ... except for the page that redeemed it.
    expect((await fetch(host.url, { redirect: 'manual', headers: { cookie } })).status).toBe(303);
    const page = await fetch(`${host.origin}/`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(await page.text()).toContain('QA Station');
    expect((await fetch(`${host.origin}/../../etc/passwd`, { headers: { cookie } })).status).toBe(404);
  });

  it('answers API calls from its own page only', async () => {
    await signIn();
    const ok = await api('station.info', {});
    expect(await ok.json()).toMatchObject({ ok: true, value: { shell: 'browser-host', needsSetup: true } });
    expect((await api('station.info', {}, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await api('station.info', {}, { 'x-station-client': '' })).status).toBe(400);
    // DNS rebinding: a page on another name pointed at 127.0.0.1 (fetch cannot forge Host; http can).
    const rebound = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: host.port, path: '/', headers: { host: 'evil.example', cookie } }, (res) =>
        resolve(res.statusCode ?? 0),
      );
      req.on('error', reject);
      req.end();
    });
    expect(rebound).toBe(421);
    const malformed = await fetch(`${host.origin}/api/station.info`, {
      method: 'POST',
      headers: { cookie, origin: host.origin, 'x-station-client': 'tab-000001' },
      body: '{not json',
    });
    expect(await malformed.json()).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(await (await api('users.create', { name: 'x', role: 'operator', pin: null })).json()).toMatchObject({
      ok: false,
      error: { code: 'not-authorised' },
    });
  });

  it('pushes events over the WebSocket to authorised pages only', async () => {
    await signIn();
    const refused = new WebSocket(`ws://127.0.0.1:${host.port}/events`, { headers: { origin: host.origin } });
    await expect(
      new Promise((resolve, reject) => {
        refused.on('open', resolve);
        refused.on('error', reject);
      }),
    ).rejects.toThrow(/403/);

    const socket = new WebSocket(`ws://127.0.0.1:${host.port}/events`, { headers: { origin: host.origin, cookie } });
    await new Promise((resolve, reject) => {
      socket.on('open', resolve);
      socket.on('error', reject);
    });
    const events: { event: string; payload: { state?: string } }[] = [];
    socket.on('message', (data) => events.push(JSON.parse(String(data)) as (typeof events)[number]));
    const until = async (predicate: () => boolean) => {
      for (let i = 0; i < 600 && !predicate(); i++) await new Promise((r) => setTimeout(r, 100));
      expect(predicate()).toBe(true);
    };
    // A training run publishes its status: start one on two tiny images and cancel it.
    await api('setup.firstSupervisor', { name: 'sam', pin: '2468' });
    await api('products.create', { name: 'gear' });
    const dir = path.join(data, 'product_00', 'train', 'good');
    const files = readdirSync(dir)
      .slice(0, 2)
      .map((f) => ({ fileName: f, data: readFileSync(path.join(dir, f)).toString('base64') }));
    expect(await (await api('products.importImages', { product: 'gear', files })).json()).toMatchObject({ ok: true, value: { added: 2 } });
    expect(await (await api('training.start', { preset: 'fast' })).json()).toMatchObject({ ok: true, value: { state: 'running' } });
    await until(() => events.some((e) => e.event === 'training.progress' && e.payload.state === 'running'));
    expect(await (await api('training.cancel', {})).json()).toMatchObject({ ok: true });
    await until(() => events.some((e) => e.event === 'training.progress' && e.payload.state === 'cancelled'));
    socket.close();
  });

  it('survives malformed and oversized frames on the event socket, closing only that socket', async () => {
    await signIn();
    const open = async () => {
      const socket = new WebSocket(`ws://127.0.0.1:${host.port}/events`, { headers: { origin: host.origin, cookie } });
      await new Promise((resolve, reject) => {
        socket.on('open', resolve);
        socket.on('error', reject);
      });
      return socket;
    };
    const closed = (socket: WebSocket) => new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    // RSV1 set without a negotiated extension: a protocol error.
    const bad = await open();
    bad.on('error', () => {}); // the client side sees the close as an error too
    const badClosed = closed(bad);
    (bad as unknown as { _socket: import('node:net').Socket })._socket.write(Buffer.from([0xc1, 0x81, 1, 2, 3, 4, 0x40]));
    expect(await badClosed).toBe(1002);
    // A text message over the socket's payload limit.
    const big = await open();
    big.on('error', () => {});
    const bigClosed = closed(big);
    big.send('x'.repeat(2048));
    expect(await bigClosed).toBe(1009);
    // The station is still up.
    expect(await (await api('station.info', {})).json()).toMatchObject({ ok: true });
  });

  it('bounds request bodies by what the call can carry, and answers malformed image addresses', async () => {
    await signIn();
    // A small call with a 2 MB body, and a 200 MB one refused from its declared length alone.
    const big = await api('station.info', { padding: 'x'.repeat(2 * 1024 * 1024) });
    expect(big.status).toBe(413);
    expect(big.headers.get('connection')).toBe('close'); // the unread rest of the body does not stall the connection
    expect(await big.json()).toMatchObject({ error: { message: 'The request is larger than 1 MB, the limit for this call' } });
    const declared = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: host.port,
          path: '/api/inspect.image',
          method: 'POST',
          headers: {
            host: `127.0.0.1:${host.port}`,
            cookie,
            origin: host.origin,
            'x-station-client': 'tab-000001',
            'content-type': 'application/json',
            'content-length': String(200 * 1024 * 1024),
          },
        },
        (res) => resolve(res.statusCode ?? 0),
      );
      req.on('error', reject);
      req.write('{"input":');
    });
    expect(declared).toBe(413);
    expect((await fetch(`${host.origin}/image/%E0%A4%A`, { headers: { cookie } })).status).toBe(400);
    expect(await (await api('station.info', {})).json()).toMatchObject({ ok: true });
  });

  it('downloads the CSV report as an attachment', async () => {
    await signIn();
    const filter = encodeURIComponent(JSON.stringify({ from: null, to: null, product: null, verdict: null }));
    const response = await fetch(`${host.origin}/report.csv?filter=${filter}`, { headers: { cookie } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(/attachment; filename="qa-report-\d{4}-\d{2}-\d{2}\.csv"/);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the BOM spreadsheets look for
    expect(bytes.subarray(3).toString('utf8').startsWith('timestamp,station,operator,product')).toBe(true);
    expect((await fetch(`${host.origin}/report.csv?filter=%7Bbad`, { headers: { cookie } })).status).toBe(400);
  });
});
