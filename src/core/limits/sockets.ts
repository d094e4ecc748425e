// WebSocket limits per user, not per socket (issue 15 #6, docs/security.md): one user had 20
// chat sockets sending 120 messages a second and opened 2,794 machines sockets. Counted per app
// and user in the shared counters (Redis with REDIS_URL), so a user's sockets on every instance
// add up. An open socket keeps its slot alive; a slot left by an instance that died expires
// WS_SLOT_TTL_MS after that user's last connection.
import type { WebSocket } from 'ws';
import type { Counters } from './counters.js';

export interface SocketLimitSettings {
  enabled: boolean;
  maxPerUser: number;
  messages: number;
  windowMs: number;
}

/** closing code for a socket over the user's limit (1008: policy violation) */
export const CLOSE_TOO_MANY = 1008;
const SLOT_TTL_MS = 10 * 60_000;

export class SocketLimits {
  constructor(
    private readonly counters: Counters,
    readonly settings: SocketLimitSettings,
  ) {}

  /**
   * Takes a slot for this user's new socket, released when it closes; false (and the socket
   * closed with 1008) when the user already holds the maximum.
   */
  async admit(app: string, userId: number | string, socket: WebSocket): Promise<boolean> {
    if (!this.settings.enabled) return true;
    const key = `ws:${app}:${userId}`;
    const c = await this.counters.hit(key, SLOT_TTL_MS, 1, true);
    if (c.count > this.settings.maxPerUser) {
      await this.counters.release(key);
      socket.close(CLOSE_TOO_MANY, 'too many sockets');
      return false;
    }
    socket.once('close', () => void this.counters.release(key));
    return true;
  }

  /** counts one message of the user's; false when the user is over the limit for this window */
  async message(app: string, userId: number | string): Promise<boolean> {
    if (!this.settings.enabled) return true;
    const c = await this.counters.hit(`wsmsg:${app}:${userId}`, this.settings.windowMs);
    return c.count <= this.settings.messages;
  }
}
