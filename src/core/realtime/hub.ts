// Sockets grouped by topic. Apps join sockets to topics and publish to topics; the hub delivers
// through pub/sub, so the sender's instance and every other instance fan out to their own sockets.
// A heartbeat pings every socket and drops those that stop answering.
import type { WebSocket } from 'ws';
import type { PubSub } from './pubsub.js';

/** sockets pinged per turn of the event loop */
export const BEAT_SLICE = 200;

type Envelope = { kind: 'send'; data: unknown; except?: string } | { kind: 'close'; code: number; reason: string };

interface Member {
  socket: WebSocket;
  /** identifies the member for "except" filters (e.g. user id) */
  tag?: string;
}

export class RealtimeHub {
  private topics = new Map<string, { members: Set<Member>; unsubscribe?: Promise<() => Promise<void>> }>();
  private alive = new WeakMap<WebSocket, boolean>();
  private all = new Set<WebSocket>();
  private heartbeat?: NodeJS.Timeout;

  constructor(private readonly pubsub: PubSub, heartbeatMs = 30_000) {
    if (heartbeatMs > 0) {
      this.heartbeat = setInterval(() => void this.beat(), heartbeatMs);
      this.heartbeat.unref();
    }
  }

  get connections(): number {
    return this.all.size;
  }

  /** Tracks a socket for heartbeat and counting; call once per accepted socket. */
  track(socket: WebSocket): void {
    this.all.add(socket);
    this.alive.set(socket, true);
    socket.on('pong', () => this.alive.set(socket, true));
    socket.on('close', () => this.all.delete(socket));
  }

  /** Adds a socket to a topic; resolves once the topic's subscription is live. Returns leave(). */
  async join(topic: string, socket: WebSocket, tag?: string): Promise<() => void> {
    let t = this.topics.get(topic);
    if (!t) {
      t = { members: new Set() };
      this.topics.set(topic, t);
      t.unsubscribe = this.pubsub.subscribe(topic, (m) => this.deliver(topic, m as Envelope));
    }
    const member: Member = { socket, tag };
    t.members.add(member);
    await t.unsubscribe;
    const leave = () => {
      const cur = this.topics.get(topic);
      if (!cur || !cur.members.delete(member)) return;
      if (cur.members.size === 0) {
        this.topics.delete(topic);
        void cur.unsubscribe?.then((u) => u());
      }
    };
    socket.once('close', leave);
    return leave;
  }

  publish(topic: string, data: unknown, except?: string): Promise<void> {
    return this.pubsub.publish(topic, { kind: 'send', data, except } satisfies Envelope);
  }

  /**
   * Listens on `topic` (every instance's messages) for at most `ms`: resolves once listening, with
   * `done`, which resolves true on the first message `until` accepts and false when the time is up
   * or `cancel()` is called. A long poll subscribes, re-reads its state, then waits on `done`; so an
   * event between its first read and the subscription is never missed.
   */
  async listen(topic: string, until: (data: unknown) => boolean, ms: number): Promise<{ done: Promise<boolean>; cancel(): void }> {
    let settle!: (v: boolean) => void;
    const done = new Promise<boolean>((resolve) => (settle = resolve));
    let over = false;
    const unsubscribe = await this.pubsub.subscribe(topic, (m) => {
      const env = m as Envelope;
      if (env.kind === 'send' && until(env.data)) finish(true);
    });
    const timer = setTimeout(() => finish(false), ms);
    function finish(v: boolean) {
      if (over) return;
      over = true;
      clearTimeout(timer);
      settle(v);
      void unsubscribe().catch(() => undefined);
    }
    return { done, cancel: () => finish(false) };
  }

  /** Closes every socket in the topic on every instance (e.g. 4040 when a room is deleted). */
  closeTopic(topic: string, code: number, reason = ''): Promise<void> {
    return this.pubsub.publish(topic, { kind: 'close', code, reason } satisfies Envelope);
  }

  localMembers(topic: string): number {
    return this.topics.get(topic)?.members.size ?? 0;
  }

  close(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const s of this.all) s.close(1001, 'server shutting down');
  }

  private deliver(topic: string, env: Envelope) {
    const t = this.topics.get(topic);
    if (!t) return;
    if (env.kind === 'close') {
      for (const m of [...t.members]) m.socket.close(env.code, env.reason);
      return;
    }
    const text = JSON.stringify(env.data);
    for (const m of t.members) {
      if (env.except !== undefined && m.tag === env.except) continue;
      if (m.socket.readyState === 1) m.socket.send(text);
    }
  }

  /**
   * One heartbeat round, in slices of BEAT_SLICE sockets with the event loop free between them: a
   * ping is a socket write, and 10,000 of them in one go held every request for tens of
   * milliseconds every 30 s (docs/performance.md). Resolves when the round is done.
   */
  beat(): Promise<void> {
    const sockets = [...this.all];
    return new Promise((resolve) => {
      let i = 0;
      const slice = () => {
        const end = Math.min(i + BEAT_SLICE, sockets.length);
        for (; i < end; i++) this.ping(sockets[i]!);
        if (i < sockets.length) setImmediate(slice);
        else resolve();
      };
      slice();
    });
  }

  private ping(s: WebSocket): void {
    if (!this.all.has(s)) return; // closed since the round began
    if (this.alive.get(s) === false) {
      s.terminate();
      return;
    }
    this.alive.set(s, false);
    try {
      s.ping();
    } catch {
      s.terminate();
    }
  }
}
