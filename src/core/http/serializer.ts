// Response serialisation. Each route's zod response schema is turned into JSON Schema once, at
// start, and compiled by fast-json-stringify: only the declared fields are written (unknown keys
// are dropped, as zod's strip did) and a missing required field is an error, at a fraction of the
// cost of validating every reply with zod and then calling JSON.stringify. A schema JSON Schema
// cannot express faithfully (transforms, codecs, dates, custom types) keeps zod's own serialiser.
// A reply built ahead of its request (a cache's bytes) is written by the same serialiser, so it
// carries exactly what its schema allows too.
import type { FastifyReply } from 'fastify';
import fastJson from 'fast-json-stringify';
import { serializerCompiler as zodSerializer } from 'fastify-type-provider-zod';
import { z } from 'zod';

type SerializerCompiler = Parameters<typeof zodSerializer>[0];

/** the JSON Schema of what the route sends, or undefined when zod must serialise it itself */
export function outputJsonSchema(schema: unknown): Record<string, unknown> | undefined {
  if (!(schema instanceof z.ZodType)) return undefined;
  try {
    return z.toJSONSchema(schema, { io: 'output', target: 'draft-7', unrepresentable: 'throw', reused: 'inline', cycles: 'throw' }) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

export const serializerCompiler = (route: SerializerCompiler): ((data: unknown) => string) => {
  const json = outputJsonSchema(route.schema);
  if (json) {
    try {
      const { $schema: _drop, ...schema } = json;
      return fastJson(schema as unknown as Parameters<typeof fastJson>[0]);
    } catch {
      // fall through to zod
    }
  }
  return zodSerializer(route);
};


declare const serialized: unique symbol;
/** JSON bytes written by a response schema's serialiser (replySerializer), ready to send */
export type SerializedReply = Buffer & { readonly [serialized]: true };

/**
 * The serialiser of a route whose response declares `schema`, for replies kept ready-made: a cache
 * stores these bytes (encoding on every hit was a tenth of a request's CPU) and sendSerialized
 * sends them as they are. Unknown keys are dropped and a missing field throws, as on any route.
 */
export function replySerializer<S extends z.ZodType>(schema: S): (data: z.input<S>) => SerializedReply {
  const write = serializerCompiler({ schema, method: 'GET', url: '(ready-made reply)', httpStatus: '200' });
  return (data) => Buffer.from(write(data)) as SerializedReply;
}

/** sends what replySerializer wrote: the route's serialiser would only repeat that work */
export function sendSerialized(reply: FastifyReply, body: SerializedReply): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(body);
}

/**
 * For a handler whose reply is usually ready-made (a cache hit): sends it without a promise or an
 * async frame when it is there, else once it is. Return what this returns from a plain (not async)
 * handler; a synchronous throw of the handler is answered as any error is.
 */
export function sendReady(reply: FastifyReply, body: SerializedReply | Promise<SerializedReply>): Promise<void> | undefined {
  if (!(body instanceof Promise)) {
    sendSerialized(reply, body);
    return undefined;
  }
  return body.then((bytes) => {
    sendSerialized(reply, bytes);
  });
}
