// OpenAPI 3.1 generated from the route schemas; served as /openapi.json, Swagger UI at /swagger and
// /api/swagger/, and a Scalar reference page at /api/docs/. UI assets are bundled (no CDN); none of
// the pages has an inline script.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

export async function registerOpenApi(app: FastifyInstance, apps: string[]): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'madang API',
        description:
          'madang (마당): five Korean Django backends on one TypeScript core. Errors always use ' +
          '`{"error": {"code", "message", "fields?"}}`; messages are Korean unless `Accept-Language: en`.',
        version: '0.1.0',
      },
      tags: apps.map((name) => ({ name })),
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
}

// Scalar's own page starts the reference with an inline <script>, which the HTML policy refuses
// (script-src 'self', no 'unsafe-inline': security-headers.ts, docs/security.md). Its page route
// answers this page instead: the same bundle, started from a file, so no inline script is needed.
// its default fonts come from fonts.scalar.com, which font-src 'self' refuses: the system's are used
const SCALAR_CONFIG = { _integration: 'fastify', url: '/openapi.json', withDefaultFonts: false };
const SCALAR_PAGE = `<!doctype html>
<html>
  <head>
    <title>madang API</title>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
  </head>
  <body>
    <div id="app"></div>
    <script src="js/start.js"></script>
    <script src="js/scalar.js"></script>
  </body>
</html>`;
// Loaded before the bundle: the zod inside it probes for eval (`Function('')`) unless told not to
// — zod's own switch for a policy without 'unsafe-eval' (z.config({ jitless: true })), read from
// this global — and the browser would report the refused probe as a violation.
const SCALAR_START = `(globalThis.__zod_globalConfig ??= {}).jitless = true;
addEventListener('DOMContentLoaded', () => Scalar.createApiReference('#app', ${JSON.stringify(SCALAR_CONFIG)}));
`;

export async function registerDocsUi(app: FastifyInstance): Promise<void> {
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(swaggerUi, { routePrefix: '/swagger' });
  // a second Swagger UI must live in its own encapsulated plugin
  await app.register(
    async (child) => {
      await child.register(swaggerUi, { routePrefix: '/api/swagger' });
    },
  );
  registerScalar(app);
}

/** answer headers not copied from the inner server's answer (the outer server writes its own) */
const HOP_HEADERS = new Set(['content-length', 'connection', 'date', 'keep-alive', 'transfer-encoding']);

/**
 * The Scalar reference: the page and its start script are ours (above); Scalar's bundle is loaded
 * on its first request. Its module holds the 4 MB script and pulls an OpenAPI parser, YAML and ajv
 * (about 10 MB of RSS and 0.2-0.8 s of start here, for a page most processes never serve). Its
 * plugin runs in a small Fastify of its own, built then; the request is handed to it and its answer
 * sent through this server (so this server's headers apply).
 */
function registerScalar(app: FastifyInstance): void {
  let inner: Promise<FastifyInstance> | undefined;
  const load = async (): Promise<FastifyInstance> => {
    const { default: scalar } = await import('@scalar/fastify-api-reference');
    const f = Fastify({ routerOptions: { ignoreTrailingSlash: true } });
    await f.register(scalar, { routePrefix: '/api/docs', configuration: { url: SCALAR_CONFIG.url, pageTitle: 'madang API' } });
    await f.ready();
    return f;
  };
  app.get('/api/docs/', { schema: { hide: true } }, async (request, reply) => {
    // the page's scripts are relative: /api/docs (no slash) is sent to /api/docs/, as Scalar does
    const pathname = request.url.split('?')[0]!;
    if (!pathname.endsWith('/')) return reply.redirect(`${pathname}/`, 301);
    return reply.type('text/html; charset=utf-8').send(SCALAR_PAGE);
  });
  app.get('/api/docs/js/start.js', { schema: { hide: true } }, async (_req, reply) =>
    reply.type('application/javascript; charset=utf-8').send(SCALAR_START),
  );
  app.get('/api/docs/js/scalar.js', { schema: { hide: true } }, async (request: FastifyRequest, reply: FastifyReply) => {
    inner ??= load().catch((err: unknown) => {
      inner = undefined;
      throw err;
    });
    const res = await (await inner).inject({ method: 'GET', url: request.url, headers: { host: request.headers.host ?? 'localhost' } });
    reply.code(res.statusCode);
    for (const [name, value] of Object.entries(res.headers)) if (value !== undefined && !HOP_HEADERS.has(name)) reply.header(name, value);
    return reply.send(res.rawPayload);
  });
  app.addHook('onClose', async () => {
    if (inner) await (await inner.catch(() => undefined))?.close();
  });
}
