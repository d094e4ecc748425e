// One error handler for every app: AppErrors, validation, body-parser and framework errors become
// the {"error": {code, message, fields?}} envelope; anything unexpected is a logged 500 with a
// generic message and the request id, never a stack or driver text.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, type FieldErrors } from '../errors.js';
import { fieldMessage } from '../i18n/fields.js';
import { message, pickLang, type Lang } from '../i18n/messages.js';
import { fieldRuleOf } from './validation.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** the app whose routes matched (set by the app's scope), for its message catalogue */
    appName?: string;
  }
}

export interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string[]>; request_id?: string };
  [extra: string]: unknown;
}

/** Lets an app add legacy properties to its error bodies (e.g. an original's status/error_code fields). */
export type ErrorDecorator = (body: ErrorBody, status: number) => ErrorBody;

const FRAMEWORK_CODES: Record<string, [number, string]> = {
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'MALFORMED_JSON'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'MALFORMED_JSON'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'PAYLOAD_TOO_LARGE'],
  FST_REQ_FILE_TOO_LARGE: [413, 'PAYLOAD_TOO_LARGE'],
  FST_FILES_LIMIT: [413, 'PAYLOAD_TOO_LARGE'],
  FST_PARTS_LIMIT: [413, 'PAYLOAD_TOO_LARGE'],
  FST_FIELDS_LIMIT: [413, 'PAYLOAD_TOO_LARGE'],
  FST_PROTO_VIOLATION: [400, 'VALIDATION_ERROR'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'UNSUPPORTED_MEDIA_TYPE'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'MALFORMED_JSON'],
  FST_INVALID_MULTIPART_CONTENT_TYPE: [415, 'UNSUPPORTED_MEDIA_TYPE'],
  FST_INVALID_JSON_FIELD_ERROR: [400, 'MALFORMED_MULTIPART'],
  FST_MP_PREMATURE_CLOSE: [400, 'MALFORMED_MULTIPART'],
  FST_ERR_VALIDATION: [400, 'VALIDATION_ERROR'],
};

const GENERIC_BY_STATUS: Record<number, string> = {
  400: 'VALIDATION_ERROR',
  401: 'INVALID_TOKEN',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
};

export function langOf(request: FastifyRequest): Lang {
  const h = request.headers['accept-language'];
  return pickLang(Array.isArray(h) ? h[0] : h);
}

export function localiseFields(fields: FieldErrors, lang: Lang, app?: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, rules] of Object.entries(fields)) out[k] = [...new Set(rules.map((r) => fieldMessage(r, lang, app)))];
  return out;
}

export function errorBody(code: string, lang: Lang, fields?: Record<string, string[]>, app?: string): ErrorBody {
  return { error: { code, message: message(code, lang, app), ...(fields ? { fields } : {}) } };
}

/** Turns any thrown value into [status, body, headers]. */
export function toErrorReply(err: unknown, request: FastifyRequest): [number, ErrorBody, Record<string, string>] {
  const lang = langOf(request);
  const app = request.appName;
  if (err instanceof AppError) {
    const body = errorBody(err.code, lang, err.fields ? localiseFields(err.fields, lang, app) : undefined, app);
    return [err.status, { ...body, ...(err.extra ?? {}) }, err.headers ?? {}];
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const fields: Record<string, string[]> = {};
    const ctx = (err as { validationContext?: string }).validationContext;
    for (const v of err.validation) {
      const key = v.instancePath.replace(/^\//, '').replaceAll('/', '.') || (ctx === 'body' ? 'non_field_errors' : ctx ?? 'non_field_errors');
      const list = (fields[key] ??= []);
      const text = fieldMessage(fieldRuleOf(v.message ?? ''), lang, app);
      // one value can break two checks with the same wording (an id past 2^53: int() and max())
      if (!list.includes(text)) list.push(text);
    }
    return [400, errorBody('VALIDATION_ERROR', lang, fields), {}];
  }
  if (isBadData(err)) return [400, errorBody('VALIDATION_ERROR', lang), {}];
  if (isMalformedMultipart(err, request)) return [400, errorBody('MALFORMED_MULTIPART', lang), {}];
  if (isUnavailable(err)) {
    return [503, errorBody('SERVICE_UNAVAILABLE', lang), { 'retry-after': '5' }];
  }
  const fe = err as FastifyError & { statusCode?: number };
  const mapped = fe.code ? FRAMEWORK_CODES[fe.code] : undefined;
  if (mapped) return [mapped[0], errorBody(mapped[1], lang), {}];
  if (fe instanceof SyntaxError && fe.statusCode === 400) return [400, errorBody('MALFORMED_JSON', lang), {}];
  const status = fe.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return [status, errorBody(GENERIC_BY_STATUS[status] ?? 'VALIDATION_ERROR', lang), {}];
  }
  const code = status === 503 ? 'SERVICE_UNAVAILABLE' : 'INTERNAL_ERROR';
  const body = errorBody(code, lang);
  body.error.request_id = String(request.id);
  return [status === 503 ? 503 : 500, body, {}];
}

// Data exceptions (class 22: out-of-range numbers, bad text or dates, over-long values) are the
// client's input reaching the database in a shape validation let through: a 400, not a 500.
function isBadData(err: unknown): boolean {
  let e: unknown = err;
  for (let i = 0; i < 4 && e; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

// busboy's own parse errors are plain Errors without a code or status ("Multipart: Boundary not
// found", "Unexpected end of multipart data", "Malformed part header"): a client's broken body.
const MULTIPART_MESSAGES = /multipart|boundary|malformed part header|unexpected end of|missing content-type|not ready to parse|unsupported content type/i;

function isMalformedMultipart(err: unknown, request: FastifyRequest): boolean {
  const type = request.headers['content-type'];
  if (typeof type !== 'string' || !/^\s*multipart\//i.test(type)) return false;
  const e = err as { code?: unknown; statusCode?: unknown; message?: unknown };
  if (!(err instanceof Error) || e.code !== undefined || e.statusCode !== undefined) return false;
  return typeof e.message === 'string' && MULTIPART_MESSAGES.test(e.message);
}

// Connection-level failures of the database or Redis: the client should retry, not see a 500.
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08006']);
const UNAVAILABLE_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Connection is closed|connect ECONNREFUSED|MaxRetriesPerRequestError/i;

function isUnavailable(err: unknown): boolean {
  let e: unknown = err;
  for (let i = 0; i < 4 && e; i++) {
    const x = e as { code?: string; message?: string; name?: string };
    if ((x.code && UNAVAILABLE_CODES.has(x.code)) || (x.message && UNAVAILABLE_MESSAGES.test(x.message))) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

export function sendError(err: unknown, request: FastifyRequest, reply: FastifyReply, decorate?: ErrorDecorator) {
  const [status, body, headers] = toErrorReply(err, request);
  // a deliberate refusal (weather not configured, overload, an upstream that failed) is an answer,
  // not a fault of ours: a warning with its code; only the unexpected gets error level and a stack
  if (err instanceof AppError) {
    if (status >= 500) request.log.warn({ code: err.code, status }, 'request refused');
  } else if (status >= 500) {
    request.log.error({ err }, 'request failed');
  }
  for (const [k, v] of Object.entries(headers)) reply.header(k, v);
  return reply.status(status).send(decorate ? decorate(body, status) : body);
}
