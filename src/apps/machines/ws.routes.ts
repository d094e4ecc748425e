// GET /ws/machines/?token=…: live status of the caller's machines (staff: every machine). The
// socket receives {"type":"ready"} once subscribed, then {"type":"machine"|"run", …} events
// published by API instances and workers alike (core.hub, Redis pub/sub when configured).
import type { FastifyPluginAsync } from 'fastify';
import type { Platform } from '../../core/core.js';
import type { AccountsService } from './accounts.service.js';
import { STAFF_TOPIC, userTopic } from './events.js';
import { actorOf, machineGuard } from './http.js';

export function wsRoutes(core: Pick<Platform, 'identity' | 'hub' | 'http'>, accounts: AccountsService): FastifyPluginAsync {
  const guard = machineGuard(core, accounts, { allowQuery: true });
  return async (app) => {
    app.get(
      '/ws/machines/',
      { websocket: true, preValidation: guard, schema: { summary: '실시간 기계 상태 (WebSocket, ?token=)', hide: false } },
      async (socket, req) => {
        const actor = actorOf(req);
        core.hub.track(socket);
        // sockets per user, on every instance together (docs/security.md): over it, closed 1008
        if (!(await core.http.sockets.admit('machines', actor.id, socket))) return;
        // clients only listen; anything they send is answered with a pong (within the user's
        // message budget) and otherwise ignored
        socket.on('message', () => {
          void core.http.sockets.message('machines', actor.id).then((ok) => {
            if (ok && socket.readyState === 1) socket.send(JSON.stringify({ type: 'pong' }));
          });
        });
        await core.hub.join(actor.isStaff ? STAFF_TOPIC : userTopic(actor.id), socket, String(actor.id));
        if (socket.readyState === 1) socket.send(JSON.stringify({ type: 'ready', user_id: actor.id, staff: actor.isStaff }));
      },
    );
  };
}
