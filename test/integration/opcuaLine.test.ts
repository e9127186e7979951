import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  AttributeIds,
  type ClientSession,
  DataType,
  MessageSecurityMode,
  OPCUACertificateManager,
  OPCUAClient,
  SecurityPolicy,
  StatusCodes,
  UserTokenType,
} from 'node-opcua';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { scanMvtecDataset } from '../../src/main/ingest/datasetLayout';
import { LINE_ERROR_CODES } from '../../src/main/services/line/lineErrors';
import { generateSyntheticDataset } from '../../src/main/synthetic/syntheticDataset';
import type { OpcuaStatus } from '../../src/shared/api/apiRecords';
import type { StationEvent } from '../../src/shared/api/stationEvents';
import { callStation, type ServedStation, startServedStation, stationEvents, stopServedStation } from '../helpers/servedStation';

/**
 * The PLC's view of the station: the real station (`qa-station serve`) in a child process with its
 * OPC UA server on, driven by a node-opcua client through the whole handshake; an Inspect screen
 * is stood in for by a client of the station's own API that answers frame requests.
 */
const PRODUCT = 'gear';
const PLC_USER = 'plc';
const PLC_PASSWORD = 'line-4-secret';
const SCREEN = 'tests-screen-01';

let scratch: string;
let host: ServedStation;
let port: number;
let goodImage: Buffer;
let events: WebSocket | undefined;
const seen: StationEvent[] = [];
const certificates = () =>
  new OPCUACertificateManager({ rootFolder: path.join(scratch, 'client-pki'), automaticallyAcceptUnknownCertificate: true });

const api = async (method: string, input: unknown, client = 'tests-supervisor') => {
  const answer = await callStation(host, method, input, client);
  if (!answer.ok) throw new Error(`${method}: ${answer.error?.code} ${answer.error?.message}`);
  return answer.value;
};

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

async function until(what: string, predicate: () => Promise<boolean> | boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await predicate()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A PLC session: user name and password unless `anonymous`. */
async function plc(options: { security?: 'none' | 'sign-and-encrypt'; anonymous?: boolean; password?: string } = {}) {
  const encrypted = options.security === 'sign-and-encrypt';
  const client = OPCUAClient.create({
    endpointMustExist: false,
    securityMode: encrypted ? MessageSecurityMode.SignAndEncrypt : MessageSecurityMode.None,
    securityPolicy: encrypted ? SecurityPolicy.Basic256Sha256 : SecurityPolicy.None,
    clientCertificateManager: certificates(),
    connectionStrategy: { maxRetry: 2, initialDelay: 200, maxDelay: 500 },
  });
  await client.connect(`opc.tcp://127.0.0.1:${port}`);
  try {
    const session = await (options.anonymous
      ? client.createSession()
      : client.createSession({ type: UserTokenType.UserName, userName: PLC_USER, password: options.password ?? PLC_PASSWORD }));
    const close = async () => {
      await session.close();
      await client.disconnect();
    };
    return { session, close };
  } catch (error) {
    await client.disconnect();
    throw error;
  }
}

const id = (name: string) => `ns=1;s=QAStation.${name}`;
async function read(session: ClientSession, ...names: string[]): Promise<Record<string, unknown>> {
  const values = await session.read(names.map((n) => ({ nodeId: id(n), attributeId: AttributeIds.Value })));
  return Object.fromEntries(names.map((n, i) => [n, values[i]?.value.value]));
}
async function call(session: ClientSession, method: string, args: { dataType: DataType; value: unknown }[] = []): Promise<number> {
  const result = await session.call({ objectId: 'ns=1;s=QAStation', methodId: id(method), inputArguments: args });
  expect(result.statusCode).toBe(StatusCodes.Good);
  return result.outputArguments?.[0]?.value as number;
}
const write = (session: ClientSession, input: string, dataType: DataType, value: unknown) =>
  session.write({ nodeId: id(`Inputs.${input}`), attributeId: AttributeIds.Value, value: { value: { dataType, value } } });

beforeAll(async () => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'qa-opcua-'));
  const data = path.join(scratch, 'data');
  await generateSyntheticDataset({ outDir: data, classes: 1, seed: 4, size: 64, nMax: 10, testGood: 1, testDefectsPerType: 0 });
  const files = scanMvtecDataset(data)[0]?.trainGood ?? [];
  goodImage = readFileSync(files[0] as string);
  host = await startServedStation(path.join(scratch, 'home'));
  port = await freePort();
  await api('setup.firstSupervisor', { name: 'sam', pin: '2468' });
  await api('products.create', { name: PRODUCT });
  await api('products.importImages', {
    product: PRODUCT,
    files: files.map((f) => ({ fileName: path.basename(f), data: readFileSync(f).toString('base64') })),
  });
  await api('settings.set', { opcuaUser: PLC_USER, opcuaPort: port, opcuaSecurity: 'none' });
  await api('line.setOpcuaPassword', { password: PLC_PASSWORD });
  await api('settings.set', { opcuaEnabled: true });
  events = await stationEvents(host, (event) => seen.push(event));
}, 180_000);

afterAll(async () => {
  events?.terminate();
  if (host) await stopServedStation(host);
  rmSync(scratch, { recursive: true, force: true });
});

describe('the OPC UA line server of a running station', () => {
  it('refuses anonymous clients and a wrong password; the PLC logs in with its user', async () => {
    const status = (await api('line.opcuaStatus', {})) as OpcuaStatus;
    expect(status).toMatchObject({ enabled: true, problem: null, passwordSet: true, endpoint: expect.stringMatching(/^opc\.tcp:\/\//) });
    await expect(plc({ anonymous: true })).rejects.toThrow();
    await expect(plc({ password: 'not-the-password' })).rejects.toThrow();
    const { session, close } = await plc();
    expect(await read(session, 'Ready', 'Busy', 'ResultReady')).toEqual({ Ready: false, Busy: false, ResultReady: false });
    await close();
  }, 60_000);

  it('answers a trigger with no active model at once: ResultReady with Error and its code, cleared by ResultAck', async () => {
    const { session, close } = await plc();
    expect(await read(session, 'ReadyProblem')).toEqual({ ReadyProblem: expect.stringMatching(/No model is active/) });
    expect(await call(session, 'Trigger')).toBe(LINE_ERROR_CODES.noModel);
    expect(await read(session, 'ResultReady', 'Error', 'Pass', 'Fail', 'ErrorCode', 'VerdictCounter')).toEqual({
      ResultReady: true,
      Error: true,
      Pass: false,
      Fail: false,
      ErrorCode: LINE_ERROR_CODES.noModel,
      VerdictCounter: 1,
    });
    expect(await call(session, 'ResultAck')).toBe(0);
    expect(await read(session, 'ResultReady', 'Error')).toEqual({ ResultReady: false, Error: false });
    await close();
  }, 60_000);

  it('runs the whole handshake once a model is active: product select, trigger, busy, result, ack', async () => {
    await api('training.start', { preset: 'fast' });
    await until('training', async () => ((await api('training.status', {})) as { state: string }).state === 'succeeded', 240_000);
    const [model] = (await api('models.list', {})) as { version: string }[];
    await api('models.promote', { version: model?.version });

    const { session, close } = await plc();
    // Product select: one the model lacks is refused, the PLC's recipe is taken.
    expect((await write(session, 'Product', DataType.String, 'bottle')).name).toBe('BadOutOfRange');
    expect(await call(session, 'SelectProduct', [{ dataType: DataType.String, value: PRODUCT }])).toBe(0);
    // No Inspect screen offers frames yet: not Ready, and a trigger says why at once.
    expect(await read(session, 'Ready', 'ReadyProblem', 'Inputs.Product')).toEqual({
      Ready: false,
      ReadyProblem: expect.stringMatching(/No Inspect screen answers line triggers/),
      'Inputs.Product': PRODUCT,
    });
    expect(await call(session, 'Trigger')).toBe(LINE_ERROR_CODES.noFrameSource);
    await call(session, 'ResultAck');

    // An Inspect screen offers frames and holds the first request until the test lets it go.
    const { providerId } = (await api('line.offerFrames', { offer: true }, SCREEN)) as { providerId: string };
    await until('Ready', async () => (await read(session, 'Ready')).Ready === true);
    const requests = () => seen.filter((e) => e.event === 'line.frameRequest' && e.payload.providerId === providerId);
    expect((await write(session, 'Trigger', DataType.Boolean, true)).name).toBe('Good'); // rising edge
    await until('the frame request', () => requests().length === 1);
    expect(await read(session, 'Busy', 'Ready', 'ResultReady')).toEqual({ Busy: true, Ready: false, ResultReady: false });
    // A trigger while busy is refused at once, by method and by edge; nothing queues behind.
    expect(await call(session, 'Trigger')).toBe(LINE_ERROR_CODES.busy);
    await write(session, 'Trigger', DataType.Boolean, false);
    expect((await write(session, 'Trigger', DataType.Boolean, true)).name).toBe('BadInvalidState');
    const request = requests()[0] as Extract<StationEvent, { event: 'line.frameRequest' }>;
    expect(request.payload.product).toBe(PRODUCT);
    await api('line.frame', { requestId: request.payload.requestId, data: goodImage.toString('base64') }, SCREEN);
    await until('ResultReady', async () => (await read(session, 'ResultReady')).ResultReady === true);
    const result = await read(
      session,
      'Pass',
      'Fail',
      'Error',
      'Score',
      'Threshold',
      'ModelVersion',
      'VerdictCounter',
      'InspectionId',
      'TriggerToResultMs',
    );
    expect(result.Pass !== result.Fail).toBe(true);
    expect(result).toMatchObject({ Error: false, Threshold: 0.5, ModelVersion: model?.version, VerdictCounter: 3 });
    expect(requests()).toHaveLength(1);
    // The result is the station's record of that inspection, with the verdict the PLC read.
    const recorded = (await api('history.get', { id: result.InspectionId })) as {
      verdict: string;
      normalisedScore: number;
      source: string;
    };
    expect(recorded).toMatchObject({ verdict: result.Pass ? 'pass' : 'fail', normalisedScore: result.Score, source: 'camera' });
    // Not acknowledged yet: the next trigger is refused and the result stays readable.
    expect(await call(session, 'Trigger')).toBe(LINE_ERROR_CODES.notAcknowledged);
    expect((await write(session, 'ResultAck', DataType.Boolean, true)).name).toBe('Good');
    expect(await read(session, 'ResultReady', 'Pass', 'Fail', 'Ready')).toEqual({
      ResultReady: false,
      Pass: false,
      Fail: false,
      Ready: true,
    });
    const status = (await api('line.opcuaStatus', {})) as OpcuaStatus;
    expect(status).toMatchObject({ triggers: 3, refused: 3, frameSource: 'inspect-screen' });
    expect(status.p50TriggerToResultMs).toBeGreaterThanOrEqual(0);
    await close();
  }, 300_000);

  it('answers a trigger whose screen sends no frame with the frame timeout', async () => {
    await api('settings.set', { lineFrameTimeoutSeconds: 0.5 });
    await api('line.offerFrames', { offer: true }, SCREEN);
    const { session, close } = await plc();
    await until('Ready', async () => (await read(session, 'Ready')).Ready === true);
    expect(await call(session, 'Trigger')).toBe(0);
    await until('ResultReady', async () => (await read(session, 'ResultReady')).ResultReady === true);
    expect(await read(session, 'Error', 'ErrorCode', 'LastError')).toEqual({
      Error: true,
      ErrorCode: LINE_ERROR_CODES.frameTimeout,
      LastError: 'The Inspect screen sent no frame within 0.5 s',
    });
    await call(session, 'ResultAck');
    await close();
  }, 60_000);

  it('serves signed and encrypted connections only, once a supervisor chooses them', async () => {
    await api('settings.set', { opcuaSecurity: 'sign-and-encrypt' });
    await expect(plc({ security: 'none' })).rejects.toThrow();
    const { session, close } = await plc({ security: 'sign-and-encrypt' });
    expect(await read(session, 'Inputs.Product')).toEqual({ 'Inputs.Product': PRODUCT });
    await close();
  }, 90_000);
});
