// MQTT (docs/apps/machines.md §10.2): a machine's connection names a broker (mqtt:// or mqtts://,
// credentials optional) and a base topic T. A command is published to T/cmd with QoS 1 as
// {"command", "correlation_id", "run_id", "attempt"}; the machine answers on T/reply with the same
// correlation_id and the original's result code ({"result": 1} done, {"result": 2, "reason"} refused).
// Telemetry arrives on T/telemetry (one reading, or an array of them, as POST …/telemetry/ takes).
// The correlation id is the run's (`run-<id>`), the same on every attempt, so a machine can tell a
// re-sent command from a new one; the run records the attempt.
import { randomUUID } from 'node:crypto';
import type { MqttClient } from 'mqtt';
import type { Logger } from '../../../core/observability/logger.js';
import type { EndpointPolicy } from '../floor/endpoints.js';
import type { Connection } from '../floor/floor.table.js';
import type { Command } from '../machines.schemas.js';
import { outcomeOfReply, type DriverOutcome, type DriverTarget, type MachineDriver } from './driver.js';

const MAX_MESSAGE = 64 * 1024;

interface Pooled {
  client: MqttClient;
  ready: Promise<void>;
  waiting: Map<string, (body: unknown) => void>;
  topics: Set<string>;
  onTelemetry: Map<string, (payload: unknown) => void>;
}

export interface MqttTimeouts {
  connectMs: number;
  replyMs: number;
}

let mqttModule: Promise<typeof import('mqtt')> | undefined;
/** the MQTT client library (0.3-0.4 s to import here, 2-19 MB of RSS) is loaded by the first broker used */
const loadMqtt = () => (mqttModule ??= import('mqtt'));

/** one client per broker and user name, shared by commands and telemetry, reconnecting by itself */
export class MqttBrokers {
  private readonly pool = new Map<string, Pooled>();
  /** telemetry topic → the machine it belongs to */
  private readonly owners = new Map<string, number>();

  constructor(private readonly policy: EndpointPolicy, private readonly t: MqttTimeouts, private readonly log: Logger) {}

  private keyOf(c: Connection): string {
    return `${c.url}\u0000${c.username ?? ''}\u0000${c.password ?? ''}`;
  }

  /** throws when the broker is not allowed or cannot be reached within connectMs */
  async get(c: Connection): Promise<Pooled> {
    const refused = this.policy.check(c.url, 'mqtt');
    if (refused) throw new DriverRefusal(refused === 'MACHINE_HOST_NOT_ALLOWED' ? 'host_not_allowed' : 'bad_endpoint');
    const { connect } = await loadMqtt(); // before the pool is read: no await between read and set
    const key = this.keyOf(c);
    let p = this.pool.get(key);
    if (!p) {
      const client = connect(c.url, {
        clientId: `madang-${randomUUID()}`,
        username: c.username ?? undefined,
        password: c.password ?? undefined,
        connectTimeout: this.t.connectMs,
        reconnectPeriod: 2000,
        clean: true,
        protocolVersion: 4,
      });
      const waiting = new Map<string, (body: unknown) => void>();
      const onTelemetry = new Map<string, (payload: unknown) => void>();
      client.on('message', (topic, buf) => {
        if (buf.byteLength > MAX_MESSAGE) return;
        let body: unknown;
        try {
          body = JSON.parse(buf.toString('utf8'));
        } catch {
          return;
        }
        if (topic.endsWith('/reply')) {
          const id = body && typeof body === 'object' ? (body as { correlation_id?: unknown }).correlation_id : undefined;
          const w = typeof id === 'string' ? waiting.get(`${topic}\u0000${id}`) : undefined;
          if (w) w(body);
        } else if (topic.endsWith('/telemetry')) onTelemetry.get(topic)?.(body);
      });
      client.on('error', (err) => this.log.debug({ err: err.message, url: c.url }, 'machines: mqtt error'));
      const ready = new Promise<void>((resolve) => {
        if (client.connected) resolve();
        else client.once('connect', () => resolve());
      });
      p = { client, ready, waiting, topics: new Set(), onTelemetry };
      this.pool.set(key, p);
    }
    if (!p.client.connected) await withTimeout(p.ready, this.t.connectMs, 'connection_failed');
    return p;
  }

  async subscribe(p: Pooled, topic: string): Promise<void> {
    if (p.topics.has(topic)) return;
    await withTimeout(p.client.subscribeAsync(topic, { qos: 1 }), this.t.connectMs, 'connection_failed');
    p.topics.add(topic);
  }

  /** telemetry of one machine: subscribed once, delivered to `fn` */
  async listen(c: Connection, fn: (payload: unknown) => void): Promise<void> {
    const p = await this.get(c);
    const topic = `${c.topic}/telemetry`;
    this.owners.set(topic, c.machineId);
    p.onTelemetry.set(topic, fn);
    await this.subscribe(p, topic);
  }

  /** stop delivering telemetry of machines whose MQTT connection is gone or changed */
  async retain(keep: Set<number>): Promise<void> {
    for (const p of this.pool.values()) {
      for (const [topic, owner] of this.owners) {
        if (keep.has(owner) || !p.onTelemetry.has(topic)) continue;
        p.onTelemetry.delete(topic);
        p.topics.delete(topic);
        await p.client.unsubscribeAsync(topic).catch(() => undefined);
      }
    }
    for (const [topic, owner] of this.owners) if (!keep.has(owner)) this.owners.delete(topic);
  }

  async close(): Promise<void> {
    const all = [...this.pool.values()];
    this.pool.clear();
    await Promise.all(all.map((p) => p.client.endAsync(true).catch(() => undefined)));
  }

  get replyMs(): number {
    return this.t.replyMs;
  }
}

export class DriverRefusal extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, reason: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new DriverRefusal(reason)), ms))),
  ]).finally(() => clearTimeout(timer));
}

export class MqttDriver implements MachineDriver {
  readonly kind = 'mqtt' as const;

  constructor(private readonly brokers: MqttBrokers) {}

  async execute(target: DriverTarget, command: Command): Promise<DriverOutcome> {
    const c = target.connection;
    if (!c || c.protocol !== 'mqtt' || !c.topic) return { result: 3, reason: 'no_endpoint' };
    let p: Pooled;
    try {
      p = await this.brokers.get(c);
      await this.brokers.subscribe(p, `${c.topic}/reply`);
    } catch (err) {
      // nothing was sent: the run fails and the machine's status stays as it was
      return { result: 3, reason: err instanceof DriverRefusal ? err.reason : 'connection_failed' };
    }
    const correlationId = target.runId ? `run-${target.runId}` : randomUUID();
    const key = `${c.topic}/reply\u0000${correlationId}`;
    const reply = new Promise<unknown>((resolve) => p.waiting.set(key, resolve));
    try {
      try {
        await withTimeout(
          p.client.publishAsync(
            `${c.topic}/cmd`,
            JSON.stringify({ command, correlation_id: correlationId, run_id: target.runId ?? null, attempt: target.attempt ?? 1 }),
            { qos: 1 },
          ),
          this.brokers.replyMs,
          'no_ack',
        );
      } catch (err) {
        // the broker may or may not have taken it: the machine's state is unknown
        return { result: 4, reason: err instanceof DriverRefusal ? err.reason : 'publish_failed' };
      }
      try {
        return outcomeOfReply(await withTimeout(reply, this.brokers.replyMs, 'reply_timeout'));
      } catch {
        // delivered to the broker, no answer in time: a slow or absent machine, state unknown
        return { result: 4, reason: 'reply_timeout' };
      }
    } finally {
      p.waiting.delete(key);
    }
  }
}
