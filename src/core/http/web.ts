// The web front end at '/': the built SPA (web/dist) when present, else the placeholder page.
// Hashed assets are served with a year-long cache; index.html is never cached. Client routes
// (/machines, /mealbuddy/posts/3, …) share prefixes with the API, so they are not routes here:
// a GET that the router could not match and that a browser sent for a page (Accept: text/html)
// gets index.html, while API clients keep the JSON 404/405 of the core's not-found handler.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../web');
const NO_STORE = 'no-cache';
const IMMUTABLE = 'public, max-age=31536000, immutable';
// paths no page lives under: an unmatched one is an API mistake and keeps its JSON answer
const NOT_PAGES = /^\/(?:[^/]+\/)?(?:api|ws|media|static|assets|swagger|openapi\.json|metrics|healthz|readyz)(?:\/|$)|\.[a-z0-9]{1,8}$/i;

export function webDist(root = WEB): string {
  return path.join(root, 'dist');
}

/** a browser asking for a page under a client route */
export function wantsPage(req: FastifyRequest): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const accept = req.headers.accept ?? '';
  if (!accept.includes('text/html')) return false;
  const pathname = (req.url.split('?')[0] ?? '/').replace(/\/{2,}/g, '/');
  return !NOT_PAGES.test(pathname);
}

export async function registerWeb(app: FastifyInstance, root = WEB): Promise<void> {
  const dist = webDist(root);
  const built = path.join(dist, 'index.html');
  if (!existsSync(built)) {
    const placeholder = path.join(root, 'index.html');
    if (!existsSync(placeholder)) return;
    const page = readFileSync(placeholder);
    app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.type('text/html; charset=utf-8').send(page));
    return;
  }

  const html = readFileSync(built);
  const sendPage = (reply: FastifyReply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', NO_STORE).send(html);

  await app.register(async (scope) => {
    await scope.register(fastifyStatic, {
      root: dist,
      prefix: '/',
      wildcard: false,
      index: false,
      decorateReply: false,
      globIgnore: ['index.html'],
      setHeaders: (reply, file) => {
        reply.header('cache-control', file.includes(`${path.sep}assets${path.sep}`) ? IMMUTABLE : 'public, max-age=3600');
      },
    });
  });
  app.get('/', { schema: { hide: true } }, async (_req, reply) => sendPage(reply));
  app.addHook('onRequest', async (req, reply) => {
    if (req.is404 && wantsPage(req)) return sendPage(reply);
  });
}
