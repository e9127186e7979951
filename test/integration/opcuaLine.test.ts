import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AttributeIds, DataType } from 'node-opcua';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { scanMvtecDataset } from '../../src/main/ingest/datasetLayout';
import { LINE_ERROR_CODES } from '../../src/main/services/line/lineErrors';
import { generateSyntheticDataset } from '../../src/main/synthetic/syntheticDataset';
import type { OpcuaStatus } from '../../src/shared/api/apiRecords';
import type { StationEvent } from '../../src/shared/api/stationEvents';
import { freePort } from '../helpers/freePort';
import { connectPlc, type PlcOptions } from '../helpers/plcClient';
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

const api = async (method: string, input: unknown, client = 'tests-supervisor') => {
  const answer = await callStation(host, method, input, client);
  if (!answer.ok) throw new Error(`${method}: ${answer.error?.code} ${answer.error?.message}`);
  return answer.value;
};

async function until(what: string, predicate: () => Promise<boolean> | boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await predicate()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The PLC, logged in with its user unless `anonymous`. */
const plc = (options: Partial<PlcOptions> & { anonymous?: boolean } = {}) =>
  connectPlc({
    port,
    user: PLC_USER,
    password: options.anonymous ? undefined : (options.password ?? PLC_PASSWORD),
    security: options.security ?? 'none',
    pkiDir: path.join(scratch, 'client-pki'),
  });

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
    const audit = (await api('audit.list', { limit: 20 })) as { action: string; target: string | null }[];
    expect(audit).toContainEqual(expect.objectContaining({ action: 'line.opcua-login-refused', target: PLC_USER }));
    const line = await plc();
    expect(await line.read('Ready', 'Busy', 'ResultReady')).toEqual({ Ready: false, Busy: false, ResultReady: false });
    // The station's answers are read only: a client cannot write itself a Pass.
    const written = await line.session.write({
      nodeId: 'ns=1;s=QAStation.Pass',
      attributeId: AttributeIds.Value,
      value: { value: { dataType: DataType.Boolean, value: true } },
    });
    expect(written.name).toBe('BadNotWritable');
    expect(await line.read('Pass')).toEqual({ Pass: false });
    await line.close();
  }, 60_000);

  it('answers a trigger with no active model at once: ResultReady with Error and its code, cleared by ResultAck', async () => {
    const line = await plc();
    expect(await line.read('ReadyProblem')).toEqual({ ReadyProblem: expect.stringMatching(/No model is active/) });
    expect(await line.call('Trigger')).toBe(LINE_ERROR_CODES.noModel);
    expect(await line.read('ResultReady', 'Error', 'Pass', 'Fail', 'ErrorCode', 'VerdictCounter')).toEqual({
      ResultReady: true,
      Error: true,
      Pass: false,
      Fail: false,
      ErrorCode: LINE_ERROR_CODES.noModel,
      VerdictCounter: 1,
    });
    expect(await line.call('ResultAck')).toBe(0);
    expect(await line.read('ResultReady', 'Error')).toEqual({ ResultReady: false, Error: false });
    // A Trigger edge is taken too (Good): its answer is the error result, which waits for ResultAck.
    expect(await line.write('Trigger', DataType.Boolean, true)).toBe('Good');
    expect(await line.read('ResultReady', 'ErrorCode', 'ReadyProblem')).toEqual({
      ResultReady: true,
      ErrorCode: LINE_ERROR_CODES.noModel,
      ReadyProblem: 'The last result waits for ResultAck',
    });
    await line.write('Trigger', DataType.Boolean, false);
    expect(await line.write('ResultAck', DataType.Boolean, true)).toBe('Good');
    await line.write('ResultAck', DataType.Boolean, false);
    await line.close();
  }, 60_000);

  it('runs the whole handshake once a model is active: product select, trigger, busy, result, ack', async () => {
    await api('training.start', { preset: 'fast' });
    await until('training', async () => ((await api('training.status', {})) as { state: string }).state === 'succeeded', 240_000);
    const [model] = (await api('models.list', {})) as { version: string }[];
    await api('models.promote', { version: model?.version });

    const line = await plc();
    // Product select: one the model lacks is refused, the PLC's recipe is taken.
    expect(await line.write('Product', DataType.String, 'bottle')).toBe('BadOutOfRange');
    expect(await line.call('SelectProduct', [{ dataType: DataType.String, value: PRODUCT }])).toBe(0);
    // No Inspect screen offers frames yet: not Ready, and a trigger says why at once.
    expect(await line.read('Ready', 'ReadyProblem', 'Inputs.Product')).toEqual({
      Ready: false,
      ReadyProblem: expect.stringMatching(/No Inspect screen answers line triggers/),
      'Inputs.Product': PRODUCT,
    });
    expect(await line.call('Trigger')).toBe(LINE_ERROR_CODES.noFrameSource);
    await line.call('ResultAck');

    // An Inspect screen offers frames and holds the first request until the test lets it go.
    const { providerId } = (await api('line.offerFrames', { offer: true }, SCREEN)) as { providerId: string };
    await until('Ready', async () => (await line.read('Ready')).Ready === true);
    const requests = () => seen.filter((e) => e.event === 'line.frameRequest' && e.payload.providerId === providerId);
    expect(await line.write('Trigger', DataType.Boolean, true)).toBe('Good'); // rising edge
    await until('the frame request', () => requests().length === 1);
    expect(await line.read('Busy', 'Ready', 'ResultReady')).toEqual({ Busy: true, Ready: false, ResultReady: false });
    // A trigger while busy is refused at once, by method and by edge; nothing queues behind.
    expect(await line.call('Trigger')).toBe(LINE_ERROR_CODES.busy);
    await line.write('Trigger', DataType.Boolean, false);
    expect(await line.write('Trigger', DataType.Boolean, true)).toBe('BadInvalidState');
    const request = requests()[0] as Extract<StationEvent, { event: 'line.frameRequest' }>;
    expect(request.payload.product).toBe(PRODUCT);
    await api('line.frame', { requestId: request.payload.requestId, data: goodImage.toString('base64') }, SCREEN);
    await until('ResultReady', async () => (await line.read('ResultReady')).ResultReady === true);
    const result = await line.read(
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
    expect(result).toMatchObject({ Error: false, Threshold: 0.5, ModelVersion: model?.version, VerdictCounter: 4 });
    expect(requests()).toHaveLength(1);
    // The result is the station's record of that inspection, with the verdict the PLC read.
    const recorded = (await api('history.get', { id: result.InspectionId })) as {
      verdict: string;
      normalisedScore: number;
      source: string;
    };
    expect(recorded).toMatchObject({ verdict: result.Pass ? 'pass' : 'fail', normalisedScore: result.Score, source: 'camera' });
    // Not acknowledged yet: the next trigger is refused and the result stays readable.
    expect(await line.call('Trigger')).toBe(LINE_ERROR_CODES.notAcknowledged);
    expect(await line.write('ResultAck', DataType.Boolean, true)).toBe('Good');
    expect(await line.read('ResultReady', 'Pass', 'Fail', 'Ready')).toEqual({
      ResultReady: false,
      Pass: false,
      Fail: false,
      Ready: true,
    });
    const status = (await api('line.opcuaStatus', {})) as OpcuaStatus;
    expect(status).toMatchObject({ triggers: 4, refused: 3, frameSource: 'inspect-screen' });
    expect(status.p50TriggerToResultMs).toBeGreaterThanOrEqual(0);
    await line.close();
  }, 300_000);

  it('answers a trigger whose screen sends no frame with the frame timeout', async () => {
    await api('settings.set', { lineFrameTimeoutSeconds: 0.5 });
    await api('line.offerFrames', { offer: true }, SCREEN);
    const line = await plc();
    await until('Ready', async () => (await line.read('Ready')).Ready === true);
    expect(await line.call('Trigger')).toBe(0);
    await until('ResultReady', async () => (await line.read('ResultReady')).ResultReady === true);
    expect(await line.read('Error', 'ErrorCode', 'LastError')).toEqual({
      Error: true,
      ErrorCode: LINE_ERROR_CODES.frameTimeout,
      LastError: 'The Inspect screen sent no frame within 0.5 s',
    });
    await line.call('ResultAck');
    await line.close();
  }, 60_000);

  it('serves signed and encrypted connections only, once a supervisor chooses them', async () => {
    await api('settings.set', { opcuaSecurity: 'sign-and-encrypt' });
    await expect(plc({ security: 'none' })).rejects.toThrow();
    const line = await plc({ security: 'sign-and-encrypt' });
    expect(await line.read('Inputs.Product')).toEqual({ 'Inputs.Product': PRODUCT });
    await line.close();
  }, 90_000);
});
