// OpenAPI 3.1 generated from the route schemas; served as /openapi.json, Swagger UI at /swagger and
// /api/swagger/, and a Scalar reference page at /api/docs/. UI assets are bundled (no CDN); none of
// the pages has an inline script.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import scalar from '@scalar/fastify-api-reference';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
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
  await app.register(
    fp(async (child) => {
      await child.register(scalar, {
        routePrefix: '/api/docs',
        configuration: { url: SCALAR_CONFIG.url, pageTitle: 'madang API' },
        hooks: {
          onRequest: async (req, reply) => {
            if (req.routeOptions.url === '/api/docs/') return reply.type('text/html; charset=utf-8').send(SCALAR_PAGE);
          },
        },
      });
      child.get('/api/docs/js/start.js', { schema: { hide: true } }, async (_req, reply) =>
        reply.type('application/javascript; charset=utf-8').send(SCALAR_START),
      );
    }),
  );
}
