// buildApp: the core plugins, then each app's routes under its prefix ('' when mounted alone).
// Never listens: main.ts does, tests inject.
import type { FastifyInstance } from 'fastify';
import type { Container } from './container.js';
import { registerDocsUi } from './core/http/docs.js';
import { sendError } from './core/http/errors.js';
import { registerHealth } from './core/http/health.js';
import { createServer } from './core/http/server.js';
import { registerWeb } from './core/http/web.js';

export async function buildApp(container: Container): Promise<FastifyInstance> {
  const { core, apps } = container;
  // one app alone at '/' owns the whole server: its error shape applies to unmatched paths too
  const alone = container.mountAtRoot ? apps[0] : undefined;
  const app = await createServer(core, apps.map((a) => a.name), { decorate: alone?.errorDecorator });
  await registerHealth(app, core);
  for (const mod of apps) {
    await app.register(
      async (scope) => {
        scope.addHook('onRequest', (request, _reply, done) => {
          request.appName = mod.name;
          done();
        });
        scope.addHook('onRoute', (route) => {
          const schema = (route.schema ??= {}) as { tags?: string[] };
          schema.tags ??= [mod.name];
        });
        if (mod.errorDecorator) {
          const decorate = mod.errorDecorator;
          scope.setErrorHandler((err, request, reply) => sendError(err, request, reply, decorate));
        }
        await scope.register(mod.routes);
      },
      { prefix: mod.prefix },
    );
  }
  await registerDocsUi(app);
  if (!container.mountAtRoot) await registerWeb(app);
  return app;
}
