// The web front end at '/': the built SPA (web/dist) when present, else the placeholder page.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../web');

export async function registerWeb(app: FastifyInstance): Promise<void> {
  const built = path.join(WEB, 'dist', 'index.html');
  const file = existsSync(built) ? built : path.join(WEB, 'index.html');
  if (!existsSync(file)) return;
  const html = readFileSync(file);
  app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.type('text/html; charset=utf-8').send(html));
}
