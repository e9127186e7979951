import { afterEach, describe, expect, it } from 'vitest';
import { Catalog } from '../../src/main/catalog/catalog';
import { MAX_BACKLOG, MqttResultFeed } from '../../src/main/services/line/mqttResultFeed';
import type { ResultMessage } from '../../src/main/services/line/resultMessage';
import { startResultBroker } from '../helpers/resultBroker';

const TOPIC = 'plant/line-4/results';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

/** An in-process MQTT broker on `port` (0: any) that keeps every result published to TOPIC. */
const startBroker = (port: number, received: ResultMessage[]) => startResultBroker(port, TOPIC, (message) => received.push(message));

/** A catalogue with `inspections` results of one product; closed after the test, once the feed is. */
function stationWith(inspections: number): Catalog {
  const catalog = Catalog.open(':memory:');
  stops.push(async () => catalog.close());
  const product = catalog.classes.create('gear');
  const model = catalog.models.createCandidate({
    version: 'm-1',
    directory: '/m',
    backbone: 'mobilenetv2',
    textTower: 't',
    config: {},
    fileHashes: {},
  });
  for (let i = 0; i < inspections; i++) record(catalog, product.id, model.id, i);
  return catalog;
}

function record(catalog: Catalog, classId: number, modelVersionId: number, i: number): void {
  catalog.inspections.record({
    at: new Date(Date.UTC(2026, 11, 1, 8, 0, i)).toISOString(),
    station: 'line 4',
    operatorId: null,
    classId,
    imagePath: `/images/${i}.png`,
    imageSha256: 'a'.repeat(64),
    score: i % 3 === 0 ? 9 : 1,
    threshold: 5,
    scoreSpread: 2,
    verdict: i % 3 === 0 ? 'fail' : 'pass',
    modelVersionId,
    anomalyMapPath: null,
    overlayPath: null,
    fileName: `${i}.png`,
    nearestClass: 'gear',
    latencyMs: 30,
    source: 'camera',
    classWarning: false,
    regions: i % 3 === 0 ? [{ x: 1, y: 2, width: 3, height: 4, area: 12, peakScore: 9, meanScore: 8 }] : [],
  });
}

const waitFor = async (condition: () => boolean, ms = 20_000) => {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('results over MQTT', () => {
  it('sends each result recorded after it was enabled as one JSON message, QoS 1, in order', async () => {
    const received: ResultMessage[] = [];
    const broker = await startBroker(0, received);
    stops.push(broker.stop);
    const catalog = stationWith(3); // history before the feed was enabled is not sent
    const feed = new MqttResultFeed(catalog);
    stops.push(() => feed.close());
    feed.configure({ url: `mqtt://127.0.0.1:${broker.port}`, topic: TOPIC, station: 'line 4' });
    await waitFor(() => feed.status().connected);
    const gear = catalog.classes.getByName('gear')?.id as number;
    for (let i = 3; i < 6; i++) {
      record(catalog, gear, 1, i);
      feed.notify();
    }
    await waitFor(() => received.length === 3);
    expect(received.map((m) => m.id)).toEqual([4, 5, 6]);
    expect(received[0]).toEqual({
      id: 4,
      station: 'line 4',
      product: 'gear',
      verdict: 'fail',
      score: 1,
      threshold: 0.5,
      rawScore: 9,
      rawThreshold: 5,
      model: 'm-1',
      wrongProduct: false,
      defects: [{ x: 1, y: 2, width: 3, height: 4, area: 12 }],
      time: '2026-12-01T08:00:03.000Z',
    });
    expect(feed.status()).toMatchObject({ enabled: true, connected: true, backlog: 0, sent: 3, undelivered: 0 });
  });

  it('loses nothing when the broker stops mid-burst and comes back: every result arrives, repeats only as QoS 1 allows', async () => {
    const received: ResultMessage[] = [];
    let broker = await startBroker(0, received);
    const port = broker.port;
    const catalog = stationWith(0);
    const feed = new MqttResultFeed(catalog);
    stops.push(() => feed.close());
    feed.configure({ url: `mqtt://127.0.0.1:${port}`, topic: TOPIC, station: 'line 4' });
    await waitFor(() => feed.status().connected);
    const gear = catalog.classes.getByName('gear')?.id as number;
    const burst = 200;
    for (let i = 0; i < burst; i++) {
      record(catalog, gear, 1, i);
      feed.notify();
      if (i === 60) {
        await waitFor(() => received.length >= 20);
        await broker.stop();
      }
    }
    // Recorded while the broker was down: waiting in the catalogue.
    await waitFor(() => !feed.status().connected);
    expect(feed.status().backlog).toBeGreaterThan(0);
    broker = await startBroker(port, received);
    stops.push(broker.stop);
    await waitFor(() => new Set(received.map((m) => m.id)).size === burst, 30_000);
    const ids = received.map((m) => m.id);
    expect(new Set(ids).size).toBe(burst); // none lost
    expect(ids.length - burst).toBeLessThanOrEqual(1); // at most the one in flight when the broker went away
    expect(feed.status()).toMatchObject({ backlog: 0, undelivered: 0 });
  });

  it('counts results beyond the bounded backlog as undelivered, and keeps them in the catalogue', async () => {
    const catalog = stationWith(0);
    const feed = new MqttResultFeed(catalog);
    stops.push(() => feed.close());
    // A broker that never answers: nothing is sent, the backlog grows.
    feed.configure({ url: 'mqtt://127.0.0.1:9', topic: TOPIC, station: 'line 4' });
    const gear = catalog.classes.getByName('gear')?.id as number;
    catalog.db.transaction(() => {
      for (let i = 0; i < MAX_BACKLOG + 25; i++) record(catalog, gear, 1, i);
    })();
    expect(feed.status()).toMatchObject({ enabled: true, connected: false, backlog: MAX_BACKLOG + 25 });
    // Why, in words, with the code for engineers.
    await waitFor(() => feed.status().lastError !== null);
    expect(feed.status().lastError).toMatch(/refused the connection: nothing listens at that address and port \(ECONNREFUSED\)/);
    // Once the broker is back the oldest 25 are skipped (counted), the newest MAX_BACKLOG sent.
    const received: ResultMessage[] = [];
    const broker = await startBroker(0, received);
    stops.push(broker.stop);
    feed.configure({ url: `mqtt://127.0.0.1:${broker.port}`, topic: TOPIC, station: 'line 4' });
    await waitFor(() => received.length > 0);
    expect(received[0]?.id).toBe(26);
    expect(feed.status().undelivered).toBe(25);
    expect(catalog.inspections.count()).toBe(MAX_BACKLOG + 25);
  });

  it('says why an address it cannot even try is of no use, and does not throw (the station keeps running)', async () => {
    const catalog = stationWith(1);
    const feed = new MqttResultFeed(catalog);
    stops.push(() => feed.close());
    expect(() => feed.configure({ url: 'mqtt://127.0.0.1:99999', topic: TOPIC, station: 'line 4' })).not.toThrow();
    expect(feed.status()).toMatchObject({
      enabled: true,
      connected: false,
      lastError: expect.stringMatching(/^the address cannot be used: /),
    });
  });
});
