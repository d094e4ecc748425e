// Requests Node's HTTP parser refuses before Fastify sees them (an unencoded Korean query, a
// malformed request line, oversized headers, a timeout) still get the platform's error envelope,
// in the client's language, instead of Fastify's own {"error":"Bad Request","message":"Client Error"}.
// They are the client's mistake, so they are logged at debug level only.
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { pickLang } from '../i18n/messages.js';
import { errorBody, type ErrorDecorator } from './errors.js';

function classify(code: string | undefined): [number, string] {
  switch (code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return [408, 'REQUEST_TIMEOUT'];
    case 'HPE_HEADER_OVERFLOW':
      return [431, 'HEADERS_TOO_LARGE'];
    case 'HPE_INVALID_URL':
      return [400, 'INVALID_URL'];
    default:
      return [400, 'MALFORMED_REQUEST'];
  }
}

/** the Accept-Language of the raw bytes the parser gave up on, if it got that far */
function acceptLanguage(raw: unknown): string | undefined {
  if (!Buffer.isBuffer(raw)) return undefined;
  const m = /\r\naccept-language:[ \t]*([^\r\n]{0,200})/i.exec(raw.toString('latin1'));
  return m?.[1];
}

export function clientErrorHandler(decorate?: ErrorDecorator) {
  return function onClientError(this: FastifyInstance, err: Error & { code?: string; rawPacket?: unknown }, socket: Socket): void {
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    const [status, code] = classify(err.code);
    const base = errorBody(code, pickLang(acceptLanguage(err.rawPacket)));
    const json = JSON.stringify(decorate ? decorate(base, status) : base);
    this.log.debug({ code: err.code, status }, 'client error');
    if (socket.writable) {
      socket.write(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
          `Content-Length: ${Buffer.byteLength(json)}\r\nConnection: close\r\n\r\n${json}`,
      );
    }
    socket.destroy(err);
  };
}
