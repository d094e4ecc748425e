// OpenAPI 3.1 generated from the route schemas; served as /openapi.json, Swagger UI at /swagger and
// /api/swagger/, and a Scalar reference page at /api/docs/. UI assets are bundled (no CDN).
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
        configuration: { url: '/openapi.json', pageTitle: 'madang API' },
      });
    }),
  );
}
