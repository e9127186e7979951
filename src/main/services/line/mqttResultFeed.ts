import mqtt, { type MqttClient } from 'mqtt';
import type { MqttStatus } from '../../../shared/api/apiRecords';
import type { Catalog } from '../../catalog/catalog';
import { resultMessage } from './resultMessage';

/** Where the feed publishes: the broker (null: off) and the topic. */
export interface MqttFeedConfig {
  url: string | null;
  topic: string;
  /** The station's name, in the MQTT client id. */
  station: string;
}

/** At most this many results wait for the broker; older ones beyond it are counted as undelivered. */
export const MAX_BACKLOG = 10_000;
/** Picks up results recorded by other processes (the CLI) and retries after an error. */
const POLL_MS = 5_000;
const CURSOR_KEY = 'mqttDeliveredThrough';
const UNDELIVERED_KEY = 'mqttUndelivered';

/**
 * Each inspection as one JSON message to an MQTT broker, QoS 1 (docs/line-integration.md). The
 * outbox is the catalogue itself: the feed keeps the id of the last result the broker acknowledged
 * (a settings key), so a result recorded while the broker is down, or while the station is stopped,
 * is sent once it is back, in order, and nothing is lost between recording and sending. A result
 * is sent again only when the broker's acknowledgement was lost (QoS 1's rule): receivers drop
 * repeats by `id`. The backlog is bounded (MAX_BACKLOG); past it the oldest are skipped and counted.
 */
export class MqttResultFeed {
  private client: MqttClient | null = null;
  private flushing = false;
  private sent = 0;
  private lastError: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private config: MqttFeedConfig | null = null;

  constructor(
    private readonly catalog: Catalog,
    private readonly onStatus: (status: MqttStatus) => void = () => {},
  ) {}

  /** Starts, restarts or stops the feed for a configuration (a null url stops it). */
  configure(config: MqttFeedConfig): void {
    if (this.config && this.config.url === config.url && this.config.topic === config.topic) return;
    this.stopClient();
    this.config = config;
    if (!config.url) {
      this.publishStatus();
      return;
    }
    // Enabling the feed does not send the station's whole history: it starts from now.
    if (this.cursor() === null) this.catalog.settings.setMany({ [CURSOR_KEY]: this.catalog.inspections.backlogAfter(0).newestId });
    let client: MqttClient;
    try {
      client = mqtt.connect(config.url, {
        clientId: `qa-station-${config.station.replace(/[^\w-]/g, '_')}-${process.pid}`,
        reconnectPeriod: 1_000,
        connectTimeout: 5_000,
      });
    } catch (error) {
      // An address mqtt.js cannot even try (a port out of range) must not stop the station: the status says why.
      this.lastError = `the address cannot be used: ${error instanceof Error ? error.message : String(error)}`;
      this.publishStatus();
      return;
    }
    client.on('connect', () => {
      this.lastError = null;
      this.publishStatus();
      void this.flush();
    });
    client.on('close', () => this.publishStatus());
    client.on('error', (error) => {
      this.lastError = connectionProblem(error);
      this.publishStatus();
    });
    this.client = client;
    this.timer = setInterval(() => void this.flush(), POLL_MS);
    this.timer.unref();
  }

  /** A result was recorded: send it (and anything before it not yet sent). */
  notify(): void {
    void this.flush();
  }

  status(): MqttStatus {
    const cursor = this.cursor() ?? 0;
    return {
      enabled: Boolean(this.config?.url),
      connected: this.client?.connected ?? false,
      backlog: this.config?.url ? this.catalog.inspections.backlogAfter(cursor).count : 0,
      sent: this.sent,
      undelivered: Number(this.catalog.settings.all()[UNDELIVERED_KEY] ?? 0),
      lastError: this.lastError,
    };
  }

  async close(): Promise<void> {
    const client = this.client;
    this.stopClient();
    this.config = null;
    await client?.endAsync(true);
  }

  private stopClient(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const client = this.client;
    this.client = null;
    if (!client) return;
    // A client being let go says nothing more about the feed.
    client.removeAllListeners();
    client.on('error', () => {});
    client.end(true);
  }

  private cursor(): number | null {
    const value = this.catalog.settings.all()[CURSOR_KEY];
    return typeof value === 'number' ? value : null;
  }

  /** Past MAX_BACKLOG waiting, the oldest are skipped: counted, and left in the catalogue. */
  private skipBeyondBound(cursor: number): number {
    const { count } = this.catalog.inspections.backlogAfter(cursor);
    if (count <= MAX_BACKLOG) return cursor;
    const skip = count - MAX_BACKLOG;
    const skippedTo = this.catalog.inspections.nthIdAfter(cursor, skip) ?? cursor;
    const undelivered = Number(this.catalog.settings.all()[UNDELIVERED_KEY] ?? 0) + skip;
    this.catalog.settings.setMany({ [CURSOR_KEY]: skippedTo, [UNDELIVERED_KEY]: undelivered });
    return skippedTo;
  }

  private async flush(): Promise<void> {
    const client = this.client;
    const config = this.config;
    if (this.flushing || !client?.connected || !config?.url) return;
    this.flushing = true;
    try {
      const names = {
        product: (id: number) => this.catalog.classes.get(id)?.name ?? `#${id}`,
        model: (id: number) => this.catalog.models.get(id)?.version ?? `#${id}`,
      };
      for (;;) {
        const batch = this.catalog.inspections.after(this.skipBeyondBound(this.cursor() ?? 0), 32);
        if (batch.length === 0) break;
        for (const row of batch) {
          if (this.client !== client || !client.connected) return;
          await client.publishAsync(config.topic, JSON.stringify(resultMessage(row, names)), { qos: 1 });
          // Let go meanwhile: the next client sends it again (a repeat QoS 1 allows), nothing is lost.
          if (this.client !== client) return;
          this.catalog.settings.setMany({ [CURSOR_KEY]: row.id });
          this.sent++;
        }
        this.publishStatus();
      }
    } catch (error) {
      this.lastError = error instanceof Error ? error.message : String(error);
    } finally {
      this.flushing = false;
      if (this.client === client) this.publishStatus();
    }
  }

  private publishStatus(): void {
    this.onStatus(this.status());
  }
}

/** A broker connection error in words for the Settings panel (the raw code in brackets, for engineers). */
export function connectionProblem(error: Error & { code?: string | number }): string {
  const words: Record<string, string> = {
    ECONNREFUSED: 'the broker refused the connection: nothing listens at that address and port',
    ENOTFOUND: 'no broker by that name: check the address',
    EHOSTUNREACH: 'the broker cannot be reached from this station',
    ETIMEDOUT: 'the broker did not answer in time',
    ECONNRESET:
      'the broker closed the connection: check the scheme (mqtts:// and wss:// need TLS on the broker, ws:// a WebSocket endpoint)',
    EPROTO: 'the TLS handshake failed: the broker may not speak TLS on that port (mqtts://, wss://)',
  };
  const code = typeof error.code === 'string' ? error.code : '';
  if (words[code]) return `${words[code]} (${code})`;
  // Node's TLS and WebSocket layers say these without a code.
  if (/socket hang up|disconnected before secure TLS connection/i.test(error.message)) return `${words.ECONNRESET} (${error.message})`;
  return error.message;
}
