// Error bodies in the original's shape, for the routes whose error the original front end parses
// (docs/apps/mealbuddy.md §10): there the original's shape wins over the platform envelope. Each
// route says which of its refusals keep which shape; everything else (a 5xx, a malformed body the
// front end never sends) stays the platform envelope.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { sendError, toErrorReply, type ErrorBody } from '../../core/http/errors.js';
import { errorEnvelope } from '../../core/http/schemas.js';

/** the original body for this refusal, or undefined for the platform envelope */
export type OriginalShape = (status: number, body: ErrorBody) => unknown;

/** the mealbuddy decorator: field errors are mirrored under `errors` (the register page) */
export function mirrorFields(body: ErrorBody): ErrorBody {
  return body.error.fields ? { ...body, errors: body.error.fields } : body;
}

/** a route errorHandler answering refusals in the original's shape */
export function originalErrors(shape: OriginalShape) {
  return (err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const [status, body, headers] = toErrorReply(err, request);
    const original = status < 500 ? shape(status, body) : undefined;
    if (original === undefined) return sendError(err, request, reply, mirrorFields);
    for (const [k, v] of Object.entries(headers)) reply.header(k, v);
    // sent as serialised JSON: a bare string must stay a JSON string, not text/plain
    return reply.status(status).type('application/json; charset=utf-8').send(JSON.stringify(original));
  };
}

/** the original's bare JSON string error, e.g. `"인원수가 가득 찼습니다."` */
export const bareString: OriginalShape = (_status, body) => body.error.message;

/** response schemas: the original's shape or, for what the front end never causes, the envelope */
export const stringOrEnvelope = z.union([z.string(), errorEnvelope]);
export const fieldMapOrEnvelope = z.union([errorEnvelope, z.record(z.string(), z.array(z.string()))]);
