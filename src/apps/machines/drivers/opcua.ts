// OPC UA (docs/apps/machines.md §10.2): a machine's connection names an opc.tcp:// endpoint, the
// security mode and policy, optional user credentials, and the node id of the machine object.
// Below that object we read the names EUROMAP 77 (OPC 40077, IMM_MES_InterfaceType) uses, as far
// as public descriptions go:
//   Start(), Stop()                                   methods; a Bad status code is a refusal
//   MachineStatus/PowerOn, ErrorActive, Running, MachineMode        → the machine's status
//   Jobs/ActiveJobValues/JobCycleCounter, JobGoodPartsCounter, JobBadPartsCounter, LastCycleTime
//   ProcessValues/BarrelTemperature, MouldTemperature               → live values
// One client and session per machine, shared by commands and the live subscription. A session that
// breaks is rebuilt with back-off (1 s doubling to 30 s). A command is called once: if the link
// drops or the machine does not answer in time the run ends PENDING (state unknown) and is never
// re-sent; a takeover of a run (attempt > 1) reads the machine's state first and does not call the
// method again when the machine is already where the command would put it.
import type { ClientSession, ClientSubscription, DataValue, OPCUAClient, SecurityPolicy, UserIdentityInfo } from 'node-opcua';
import type { Logger } from '../../../core/observability/logger.js';
import type { EndpointPolicy } from '../floor/endpoints.js';
import type { Connection } from '../floor/floor.table.js';
import type { Command } from '../machines.schemas.js';
import { MACHINE_STATUS } from '../machines.schemas.js';
import type { DriverOutcome, DriverTarget, MachineDriver } from './driver.js';
import { DriverRefusal, type MqttTimeouts } from './mqtt.js';

export const STATUS_NODES = ['MachineStatus/PowerOn', 'MachineStatus/ErrorActive', 'MachineStatus/Running', 'MachineStatus/MachineMode'] as const;
export const VALUE_NODES = {
  cycle_counter: 'Jobs/ActiveJobValues/JobCycleCounter',
  good_parts: 'Jobs/ActiveJobValues/JobGoodPartsCounter',
  reject_parts: 'Jobs/ActiveJobValues/JobBadPartsCounter',
  cycle_time_ms: 'Jobs/ActiveJobValues/LastCycleTime',
  barrel_temp_c: 'ProcessValues/BarrelTemperature',
  mould_temp_c: 'ProcessValues/MouldTemperature',
} as const;

/** the machine's status from EUROMAP 77-style status variables */
export function statusOf(powerOn: unknown, errorActive: unknown, running: unknown): number {
  if (powerOn === false) return MACHINE_STATUS.POWEROFF;
  if (errorActive === true) return MACHINE_STATUS.ERROR;
  if (running === true) return MACHINE_STATUS.RUNNING;
  if (running === false) return MACHINE_STATUS.READY;
  return MACHINE_STATUS.PENDING;
}

interface Link {
  client: OPCUAClient;
  session: ClientSession;
  nodes: Map<string, string>;
  subscription?: ClientSubscription;
  closed: boolean;
}

type Ua = typeof import('node-opcua');
let uaModule: Promise<Ua> | undefined;
/** node-opcua is large: loaded on the first OPC UA connection, not when the app starts */
const ua = (): Promise<Ua> => (uaModule ??= import('node-opcua'));

const nsOf = (nodeId: string) => /^ns=(\d+);/.exec(nodeId)?.[1] ?? '0';

export class OpcUaMachines {
  private readonly links = new Map<number, Promise<Link>>();
  private readonly listeners = new Map<number, { c: Connection; push: (payload: unknown) => void; retry: number; timer?: NodeJS.Timeout }>();
  private closing = false;

  constructor(private readonly policy: EndpointPolicy, private readonly t: MqttTimeouts, private readonly log: Logger) {}

  get replyMs(): number {
    return this.t.replyMs;
  }

  private stamp(c: Connection) {
    return `${c.url}|${c.nodeId}|${c.updatedAt.getTime()}`;
  }

  /** the machine's session, made on first use; throws DriverRefusal when it cannot be had now */
  async link(c: Connection): Promise<Link> {
    const refused = this.policy.check(c.url, 'opcua');
    if (refused) throw new DriverRefusal(refused === 'MACHINE_HOST_NOT_ALLOWED' ? 'host_not_allowed' : 'bad_endpoint');
    let p = this.links.get(c.machineId);
    if (p) {
      const l = await p.catch(() => undefined);
      if (l && !l.closed && (l as Link & { stamp?: string }).stamp === this.stamp(c)) return l;
      this.links.delete(c.machineId);
      if (l) await this.drop(l);
    }
    p = this.open(c);
    this.links.set(c.machineId, p);
    p.catch(() => this.links.delete(c.machineId));
    return p;
  }

  private async open(c: Connection): Promise<Link> {
    const u = await ua();
    const client = u.OPCUAClient.create({
      applicationName: 'madang',
      endpointMustExist: false,
      securityMode: u.MessageSecurityMode[c.securityMode as 'None'] ?? u.MessageSecurityMode.None,
      securityPolicy: (u.SecurityPolicy as unknown as Record<string, SecurityPolicy>)[c.securityPolicy] ?? u.SecurityPolicy.None,
      // the first connect fails fast (the run must not wait); an established link is repaired by
      // the client itself with back-off, and by us (reconnect()) if it gives up
      connectionStrategy: { maxRetry: 0, initialDelay: 1000, maxDelay: 30_000 },
      requestedSessionTimeout: 60_000,
      transportTimeout: this.t.connectMs,
      keepSessionAlive: true,
    });
    const link: Link & { stamp?: string } = { client, session: undefined as never, nodes: new Map(), closed: false, stamp: this.stamp(c) };
    const fail = (why: string) => {
      if (link.closed) return;
      link.closed = true;
      this.log.info({ machineId: c.machineId, why }, 'machines: opc ua link lost');
      if (this.links.get(c.machineId)) this.links.delete(c.machineId);
      void this.drop(link);
      this.reconnect(c.machineId);
    };
    try {
      await withTimeout(client.connect(c.url), this.t.connectMs, 'connection_failed');
      const identity: UserIdentityInfo = c.username
        ? { type: u.UserTokenType.UserName, userName: c.username, password: c.password ?? '' }
        : { type: u.UserTokenType.Anonymous };
      link.session = await withTimeout(client.createSession(identity), this.t.connectMs, 'connection_failed');
    } catch (err) {
      await client.disconnect().catch(() => undefined);
      throw err instanceof DriverRefusal ? err : new DriverRefusal('connection_failed');
    }
    client.on('connection_lost', () => fail('connection_lost'));
    client.on('close', () => fail('close'));
    link.session.on('session_closed', () => fail('session_closed'));
    return link;
  }

  private async drop(l: Link): Promise<void> {
    l.closed = true;
    await l.subscription?.terminate().catch(() => undefined);
    await l.session?.close().catch(() => undefined);
    await l.client.disconnect().catch(() => undefined);
  }

  /** node id of a child of the machine object, by browse path (cached per session) */
  async node(l: Link, c: Connection, path: string): Promise<string> {
    const u = await ua();
    const hit = l.nodes.get(path);
    if (hit) return hit;
    const ns = nsOf(c.nodeId!);
    const rel = path
      .split('/')
      .map((p) => `/${ns}:${p}`)
      .join('');
    const r = await l.session.translateBrowsePath(u.makeBrowsePath(c.nodeId!, rel));
    const target = r.targets?.[0]?.targetId;
    if (r.statusCode !== u.StatusCodes.Good || !target) throw new DriverRefusal('node_missing');
    const id = target.toString();
    l.nodes.set(path, id);
    return id;
  }

  async state(l: Link, c: Connection): Promise<number> {
    const u = await ua();
    const ids = await Promise.all(STATUS_NODES.slice(0, 3).map((p) => this.node(l, c, p)));
    const values = (await l.session.read(ids.map((nodeId) => ({ nodeId, attributeId: u.AttributeIds.Value })))) as DataValue[];
    const v = values.map((d) => (d.statusCode === u.StatusCodes.Good ? (d.value.value as unknown) : undefined));
    return statusOf(v[0], v[1], v[2]);
  }

  /** live values of one machine; re-made with back-off when its link breaks */
  async listen(c: Connection, push: (payload: unknown) => void): Promise<void> {
    this.listeners.set(c.machineId, { c, push, retry: 0 });
    await this.subscribe(c);
  }

  async retain(keep: Set<number>): Promise<void> {
    for (const [id, l] of this.listeners) {
      if (keep.has(id)) continue;
      if (l.timer) clearTimeout(l.timer);
      this.listeners.delete(id);
      const link = await this.links.get(id)?.catch(() => undefined);
      this.links.delete(id);
      if (link) await this.drop(link);
    }
  }

  private async subscribe(c: Connection): Promise<void> {
    const u = await ua();
    const l = await this.link(c);
    if (l.subscription) return;
    const names = Object.keys(VALUE_NODES) as Array<keyof typeof VALUE_NODES>;
    const ids = await Promise.all(names.map((n) => this.node(l, c, VALUE_NODES[n]).catch(() => null)));
    const statusIds = await Promise.all(STATUS_NODES.slice(0, 3).map((p) => this.node(l, c, p).catch(() => null)));
    const sub = u.ClientSubscription.create(l.session, {
      requestedPublishingInterval: 500,
      requestedLifetimeCount: 120,
      requestedMaxKeepAliveCount: 10,
      maxNotificationsPerPublish: 1000,
      publishingEnabled: true,
      priority: 1,
    });
    l.subscription = sub;
    // a subscription that cannot be made (the link went down meanwhile) reports it as an 'error'
    // event: without a listener that would be an uncaught exception
    sub.on('error', (err: Error) => {
      this.log.info({ machineId: c.machineId, err: err.message }, 'machines: opc ua subscription failed');
      l.subscription = undefined;
      this.reconnect(c.machineId);
    });
    const current: Record<string, unknown> = {};
    const pairs: Array<[string, string | null]> = [
      ...names.map((n, i): [string, string | null] => [n, ids[i] ?? null]),
      ...STATUS_NODES.slice(0, 3).map((p, i): [string, string | null] => [p, statusIds[i] ?? null]),
    ];
    const all = pairs.filter((x): x is [string, string] => !!x[1]);
    const group = await sub.monitorItems(
      all.map(([, nodeId]) => ({ nodeId, attributeId: u.AttributeIds.Value })),
      { samplingInterval: 500, discardOldest: true, queueSize: 10 },
      u.TimestampsToReturn.Both,
    );
    let pending: NodeJS.Timeout | undefined;
    group.on('changed', (item, dv) => {
      const idx = group.monitoredItems.indexOf(item);
      const key = all[idx]?.[0];
      if (!key || dv.statusCode !== u.StatusCodes.Good) return;
      current[key] = dv.value.value;
      // coalesce a burst of changes (one cycle ends: counters, cycle time, temperatures) into one reading
      pending ??= setTimeout(() => {
        pending = undefined;
        const num = (k: string) => (typeof current[k] === 'number' || typeof current[k] === 'bigint' ? Number(current[k]) : undefined);
        const power = current['MachineStatus/PowerOn'];
        this.listeners.get(c.machineId)?.push({
          state: power === undefined && current['MachineStatus/Running'] === undefined ? undefined : statusOf(power, current['MachineStatus/ErrorActive'], current['MachineStatus/Running']),
          cycle_counter: num('cycle_counter'),
          good_parts: num('good_parts'),
          reject_parts: num('reject_parts'),
          cycle_time_ms: num('cycle_time_ms') === undefined ? undefined : Math.round(num('cycle_time_ms')!),
          barrel_temp_c: num('barrel_temp_c'),
          mould_temp_c: num('mould_temp_c'),
        });
      }, 50);
    });
    const listener = this.listeners.get(c.machineId);
    if (listener) listener.retry = 0;
  }

  /** back-off: 1 s, 2 s, 4 s … 30 s, for machines someone listens to */
  private reconnect(machineId: number): void {
    const l = this.listeners.get(machineId);
    if (!l || this.closing || l.timer) return;
    const delay = Math.min(30_000, 1000 * 2 ** l.retry);
    l.retry++;
    l.timer = setTimeout(() => {
      l.timer = undefined;
      this.subscribe(l.c).catch(() => this.reconnect(machineId));
    }, delay);
    l.timer.unref();
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const l of this.listeners.values()) if (l.timer) clearTimeout(l.timer);
    this.listeners.clear();
    const all = await Promise.all([...this.links.values()].map((p) => p.catch(() => undefined)));
    this.links.clear();
    await Promise.all(all.map((l) => (l ? this.drop(l) : undefined)));
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, reason: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new DriverRefusal(reason)), ms)))]).finally(() =>
    clearTimeout(timer),
  );
}

export class OpcUaDriver implements MachineDriver {
  readonly kind = 'opcua' as const;

  constructor(private readonly machines: OpcUaMachines) {}

  async execute(target: DriverTarget, command: Command): Promise<DriverOutcome> {
    const u = await ua();
    const c = target.connection;
    if (!c || c.protocol !== 'opcua' || !c.nodeId) return { result: 3, reason: 'no_endpoint' };
    const want = command === 'START' ? MACHINE_STATUS.RUNNING : MACHINE_STATUS.READY;
    let link: Link;
    let methodId: string;
    try {
      link = await this.machines.link(c);
      methodId = await this.machines.node(link, c, command === 'START' ? 'Start' : 'Stop');
      // a takeover may follow a call that did reach the machine: look before calling again
      if ((target.attempt ?? 1) > 1 && (await this.machines.state(link, c)) === want) return { result: 1, reason: 'already_in_state' };
    } catch (err) {
      // nothing was called: the run fails and the machine's status stays as it was
      return { result: 3, reason: err instanceof DriverRefusal ? err.reason : 'connection_failed' };
    }
    let status;
    try {
      const res = await withTimeout(link.session.call({ objectId: c.nodeId, methodId, inputArguments: [] }), this.machines.replyMs, 'timeout');
      status = res.statusCode;
    } catch (err) {
      // the call may have reached the machine: state unknown, and it is not sent again
      return { result: 4, reason: err instanceof DriverRefusal ? err.reason : 'connection_lost' };
    }
    if (status !== u.StatusCodes.Good) return { result: 2, reason: `refused:${status.name}`.slice(0, 64) };
    try {
      const s = await withTimeout(this.machines.state(link, c), this.machines.replyMs, 'timeout');
      return s === want ? { result: 1, reason: null } : { result: 4, reason: 'state_mismatch' };
    } catch {
      return { result: 4, reason: 'state_unreadable' };
    }
  }
}
