// Security headers, computed once at start: helmet's set on every reply. HTML pages — the web app
// and the API docs — get the content security policy their scripts need; JSON, images and other
// API answers a short one (nothing in them is a document a browser renders, so `default-src
// 'none'` is all it has to say). helmet's document policy alone is a third of a kilobyte, and
// header bytes on every JSON reply cost throughput on loopback like our own code does.
// (The Fastify helmet wrapper also rebuilt the middleware per request; computing once avoids that.)
import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';

/** helmet's headers for HTML documents */
export function documentHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader(name: string, value: string | number | string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
    getHeader(name: string) {
      return headers[name.toLowerCase()];
    },
  };
  helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // no inline script runs: the SPA's build, Swagger UI and the Scalar page (docs.ts) load
        // every script from a file, so an injected <script> or on…= attribute is refused
        scriptSrc: ["'self'"],
        // the Scalar bundle inserts <style> elements without a nonce at run time; styles cannot
        // run script, so they stay allowed (docs/security.md)
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'", 'ws:', 'wss:'],
        fontSrc: ["'self'", 'data:'],
        workerSrc: ["'self'", 'blob:'],
      },
    },
    crossOriginResourcePolicy: { policy: 'same-site' },
  })({} as IncomingMessage, res as unknown as ServerResponse, () => undefined);
  return headers;
}

/** headers that only mean something for a document, or only to browsers long gone (IE8, Flash) */
const DOCUMENT_ONLY = ['origin-agent-cluster', 'x-download-options', 'x-permitted-cross-domain-policies', 'x-xss-protection'];

/**
 * Everything that is not an HTML document: helmet's headers, less the document-only ones, with a
 * policy that for JSON only needs to say that nothing may load or frame (OWASP's REST cheat sheet).
 */
export function apiHeaders(page: Readonly<Record<string, string>> = documentHeaders()): Record<string, string> {
  const headers: Record<string, string> = { ...page, 'content-security-policy': "default-src 'none'; frame-ancestors 'self'" };
  for (const documentOnly of DOCUMENT_ONLY) delete headers[documentOnly];
  return headers;
}

/**
 * What every reply gets, for createServer's own hooks (one onRequest and one onSend for the whole
 * server, each hook being a step of every request): `api` is set when a request arrives, `page`
 * replaces it on a reply that turns out to be an HTML document.
 */
export function securityHeaders(): { api: Readonly<Record<string, string>>; page: Readonly<Record<string, string>> } {
  const page = documentHeaders();
  return { api: apiHeaders(page), page };
}

/** true when the reply about to be sent is an HTML document (it then gets the page's headers) */
export function isDocument(contentType: unknown): boolean {
  return typeof contentType === 'string' && contentType.startsWith('text/html');
}
