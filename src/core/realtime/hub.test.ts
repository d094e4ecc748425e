// The heartbeat round pings sockets in slices, leaving the event loop free between them.
import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import { describe, expect, it } from 'vitest';
import { BEAT_SLICE, RealtimeHub } from './hub.js';
import type { PubSub } from './pubsub.js';

class FakeSocket extends EventEmitter {
  pings = 0;
  terminated = false;
  ping() {
    this.pings++;
  }
  terminate() {
    this.terminated = true;
    this.emit('close');
  }
  close() {
    this.emit('close');
  }
}

const pubsub = { subscribe: async () => async () => undefined, publish: async () => undefined } as unknown as PubSub;

describe('RealtimeHub heartbeat', () => {
  it('pings at most BEAT_SLICE sockets per turn of the event loop, then every socket; drops those that never answered', async () => {
    const hub = new RealtimeHub(pubsub, 0);
    const sockets = Array.from({ length: BEAT_SLICE * 5 + 7 }, () => new FakeSocket());
    for (const s of sockets) hub.track(s as unknown as WebSocket);
    const round = hub.beat();
    // synchronously, only the first slice has been pinged: other callbacks may run in between
    expect(sockets.filter((s) => s.pings === 1)).toHaveLength(BEAT_SLICE);
    let between = 0;
    const tick = () => {
      between++;
      if (sockets.some((s) => s.pings === 0)) setImmediate(tick);
    };
    setImmediate(tick);
    await round;
    expect(sockets.every((s) => s.pings === 1)).toBe(true);
    expect(between).toBeGreaterThanOrEqual(4); // other work ran between the six slices
    // half answer with a pong; the next round terminates the others
    sockets.forEach((s, i) => i % 2 === 0 && s.emit('pong'));
    await hub.beat();
    expect(sockets.filter((s) => s.terminated)).toHaveLength(Math.floor(sockets.length / 2));
    expect(hub.connections).toBe(Math.ceil(sockets.length / 2));
    hub.close();
  });
});
