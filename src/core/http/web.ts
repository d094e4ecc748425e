// The web front end at '/': the built SPA (web/dist) when present, else a short page saying how
// to build it (web/index.html is Vite's entry, not a page that works unbuilt).
// Hashed assets are served with a year-long cache; index.html is never cached. Client routes
// (/<app>, /<app>/posts/3, …) share prefixes with the API, so they are not routes here:
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

const UNBUILT = `<!doctype html><html lang="ko"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>madang (마당)</title><body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem">
<h1>madang (마당)</h1><p>웹 화면이 아직 빌드되지 않았습니다: <code>npm run web:build</code> (또는 <code>npm start</code>).
The web front end is not built yet: run <code>npm run web:build</code> (or <code>npm start</code>).</p>
<p><a href="/swagger">Swagger UI</a> · <a href="/api/docs/">API reference</a> · <a href="/openapi.json">openapi.json</a></p></body></html>`;

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
    app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.type('text/html; charset=utf-8').send(UNBUILT));
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
