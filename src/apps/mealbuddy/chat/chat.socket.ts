// WebSocket /ws/chat/{id}/?token= (docs/apps/mealbuddy.md §7) with the handshake checks the original lacked
// (§11.3): 4401 bad token, 4404 no such room, 4040 deleted room, 4403 not an active member.
// Frames are validated (JSON {"message"}, 1..300 characters, not blank), rate-limited per
// connection, persisted before they are broadcast, and handled one at a time in arrival order.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { Platform } from '../../../core/core.js';
import { langOf } from '../../../core/http/errors.js';
import { message as msg, type Lang } from '../../../core/i18n/messages.js';
import { tokenOf } from '../../../core/identity/guard.js';
import { APP, memberTopic, roomTopic } from '../mealbuddy.common.js';
import type { UsersRepository } from '../users/users.repository.js';
import { CLOSE_REMOVED, CLOSE_ROOM_DELETED } from './chat.events.js';
import type { ChatService } from './chat.service.js';

export const CLOSE_UNAUTHENTICATED = 4401;
export const CLOSE_NO_ROOM = 4404;
const MAX_CHARS = 300;
const MAX_FRAME_BYTES = 4096;
/** token bucket: a burst of 10, refilled at 5 messages a second */
const BURST = 10;
const PER_SECOND = 5;
/** a client that keeps flooding after warnings is dropped */
const MAX_STRIKES = 20;

interface Sender {
  id: number;
  username: string;
  email: string;
}

export function chatSocket(core: Pick<Platform, 'identity' | 'hub' | 'http'>, chat: ChatService, users: UsersRepository): FastifyPluginAsync {
  const origins = core.http.allowedOrigins;
  return async (app) => {
    app.get('/ws/chat/:id/', { websocket: true, schema: { hide: true } }, (socket: WebSocket, req: FastifyRequest) => {
      core.hub.track(socket);
      const lang = langOf(req);
      let chain: Promise<unknown> = Promise.resolve();
      const ready = handshake(socket, req).catch((err: unknown) => {
        req.log.error({ err }, 'chat socket handshake failed');
        socket.close(1011, 'server error');
        return undefined;
      });
      let tokens = BURST;
      let last = Date.now();
      let strikes = 0;
      socket.on('message', (data, isBinary) => {
        const now = Date.now();
        tokens = Math.min(BURST, tokens + ((now - last) / 1000) * PER_SECOND);
        last = now;
        if (tokens < 1) {
          if (++strikes > MAX_STRIKES) socket.close(1008, 'rate limit');
          else sendError(socket, 'WS_RATE_LIMITED', lang);
          return;
        }
        tokens -= 1;
        chain = chain.then(async () => {
          const sender = await ready;
          if (sender) await onFrame(socket, sender, Number((req.params as { id: string }).id), data as Buffer, isBinary, lang);
        }).catch((err: unknown) => {
          req.log.error({ err }, 'chat message failed');
          sendError(socket, 'INTERNAL_ERROR', lang);
        });
      });
    });

    async function handshake(socket: WebSocket, req: FastifyRequest): Promise<Sender | undefined> {
      const origin = req.headers.origin;
      if (origins && origin && !origins.has(origin)) return refuse(socket, 4403, 'origin not allowed');
      let userId: number;
      try {
        userId = (await core.identity.authenticate(APP, tokenOf(req, true))).user_id;
      } catch {
        return refuse(socket, CLOSE_UNAUTHENTICATED, 'invalid token');
      }
      const user = await users.byId(userId);
      if (!user || !user.isActive) return refuse(socket, CLOSE_UNAUTHENTICATED, 'invalid token');
      // sockets per user, on every instance together (docs/security.md): over it, closed 1008
      if (!(await core.http.sockets.admit(APP, user.id, socket))) return undefined;
      const roomId = Number((req.params as { id: string }).id);
      if (!Number.isSafeInteger(roomId) || roomId < 1) return refuse(socket, CLOSE_NO_ROOM, 'no such room');
      const access = await chat.socketAccess(user.id, roomId);
      if (access !== 'ok') return refuse(socket, ...closeFor(access));
      await core.hub.join(roomTopic(roomId), socket, String(user.id));
      await core.hub.join(memberTopic(roomId, user.id), socket);
      // a ban or delete between the check and the subscriptions would otherwise go unnoticed
      const again = await chat.socketAccess(user.id, roomId);
      if (again !== 'ok') return refuse(socket, ...closeFor(again));
      return { id: user.id, username: user.username, email: user.email };
    }

    async function onFrame(socket: WebSocket, sender: Sender, roomId: number, data: Buffer, isBinary: boolean, lang: Lang) {
      if (socket.readyState !== 1) return;
      if (isBinary || data.length > MAX_FRAME_BYTES) return sendError(socket, 'MESSAGE_INVALID', lang);
      let text: unknown;
      try {
        text = (JSON.parse(data.toString('utf8')) as { message?: unknown } | null)?.message;
      } catch {
        return sendError(socket, 'MESSAGE_INVALID', lang);
      }
      if (typeof text !== 'string') return sendError(socket, 'MESSAGE_INVALID', lang);
      if (text.trim() === '') return sendError(socket, 'MESSAGE_BLANK', lang);
      if ([...text].length > MAX_CHARS) return sendError(socket, 'MESSAGE_TOO_LONG', lang);
      // the per-socket bucket above, and a budget per user over all their sockets and instances
      if (!(await core.http.sockets.message(APP, sender.id))) return sendError(socket, 'WS_RATE_LIMITED', lang);
      const saved = await chat.send(sender, roomId, text);
      if (!saved) socket.close(CLOSE_REMOVED, 'not a member');
    }
  };
}

function closeFor(access: 'missing' | 'deleted' | 'forbidden'): [number, string] {
  if (access === 'missing') return [CLOSE_NO_ROOM, 'no such room'];
  if (access === 'deleted') return [CLOSE_ROOM_DELETED, 'room deleted'];
  return [CLOSE_REMOVED, 'not a member'];
}

function refuse(socket: WebSocket, code: number, reason: string): undefined {
  socket.close(code, reason);
  return undefined;
}

function sendError(socket: WebSocket, code: string, lang: Lang): void {
  if (socket.readyState === 1) socket.send(JSON.stringify({ type: 'error', error: { code, message: msg(code, lang) } }));
}
