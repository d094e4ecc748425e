// OpenAPI 3.1 generated from the route schemas; served as /openapi.json, Swagger UI at /swagger and
// /api/swagger/, and a Scalar reference page at /api/docs/. UI assets are bundled (no CDN).
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
 * Scalar's reference page, loaded on its first request: its module holds a 4 MB script and pulls
 * an OpenAPI parser, YAML and ajv (about 10 MB of RSS and 0.2-0.8 s of start here, for a page most
 * processes never serve). Its plugin runs in a small Fastify of its own, built then; each request
 * is handed to it and its answer sent through this server (so this server's headers apply).
 */
function registerScalar(app: FastifyInstance): void {
  let inner: Promise<FastifyInstance> | undefined;
  const load = async (): Promise<FastifyInstance> => {
    const { default: scalar } = await import('@scalar/fastify-api-reference');
    const f = Fastify({ routerOptions: { ignoreTrailingSlash: true } });
    await f.register(scalar, { routePrefix: '/api/docs', configuration: { url: '/openapi.json', pageTitle: 'madang API' } });
    await f.ready();
    return f;
  };
  const forward = async (request: FastifyRequest, reply: FastifyReply) => {
    inner ??= load().catch((err: unknown) => {
      inner = undefined;
      throw err;
    });
    const res = await (await inner).inject({ method: 'GET', url: request.url, headers: { host: request.headers.host ?? 'localhost' } });
    reply.code(res.statusCode);
    for (const [name, value] of Object.entries(res.headers)) if (value !== undefined && !HOP_HEADERS.has(name)) reply.header(name, value);
    return reply.send(res.rawPayload);
  };
  app.get('/api/docs/', { schema: { hide: true } }, forward);
  app.get('/api/docs/js/scalar.js', { schema: { hide: true } }, forward);
  app.addHook('onClose', async () => {
    if (inner) await (await inner.catch(() => undefined))?.close();
  });
}
