import type { ChildProcess } from 'node:child_process';
import WebSocket from 'ws';
import type { StationEvent } from '../../src/shared/api/stationEvents';
import { HOST_CLIENT_HEADER, HOST_PATHS } from '../../src/shared/api/stationBridge';
import { spawnServe } from './serveProcess';

export interface ApiAnswer {
  ok: boolean;
  value?: unknown;
  error?: { code: string; message: string };
}

/** `qa-station serve` in a child process, reached as a browser tab reaches it: the launch cookie and a client id. */
export interface ServedStation {
  proc: ChildProcess;
  origin: string;
  cookie: string;
}

export async function startServedStation(home: string, trainingEpochs = '1,2'): Promise<ServedStation> {
  const serve = spawnServe(home, trainingEpochs);
  const url = await serve.url;
  const response = await fetch(url, { redirect: 'manual' });
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] as string;
  return { proc: serve.proc, origin: new URL(url).origin, cookie };
}

/** One API call; an HTTP refusal comes back as an error envelope with code http-<status>. */
export async function callStation(host: ServedStation, method: string, input: unknown, client = 'tests-0001'): Promise<ApiAnswer> {
  const response = await fetch(`${host.origin}${HOST_PATHS.api}${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: host.cookie, origin: host.origin, [HOST_CLIENT_HEADER]: client },
    body: JSON.stringify({ input }),
  });
  if (response.status !== 200) return { ok: false, error: { code: `http-${response.status}`, message: await response.text() } };
  return (await response.json()) as ApiAnswer;
}

/** The station's pushed events, as a page receives them; resolves once the socket is open. */
export async function stationEvents(host: ServedStation, onEvent: (event: StationEvent) => void): Promise<WebSocket> {
  const ws = new WebSocket(`${host.origin.replace(/^http/, 'ws')}${HOST_PATHS.events}`, {
    headers: { cookie: host.cookie, origin: host.origin },
  });
  ws.on('message', (data) => onEvent(JSON.parse(data.toString()) as StationEvent));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return ws;
}

/** Stops the served station (SIGTERM) and waits for it to exit. */
export async function stopServedStation(host: ServedStation): Promise<void> {
  if (host.proc.exitCode !== null) return;
  const exited = new Promise((r) => host.proc.once('exit', r));
  host.proc.kill('SIGTERM');
  await exited;
}
