// The original set `access` and `refresh` cookies on sign-up and log-in (docs/apps/machines.md §3.1). Here they are
// always HttpOnly and SameSite=Lax, Secure over HTTPS, scoped to the app's prefix, and last as
// long as the tokens (§9.13). No cookie plugin is installed, so parsing is done here.
import type { FastifyReply, FastifyRequest } from 'fastify';

export const ACCESS_COOKIE = 'access';
export const REFRESH_COOKIE = 'refresh';

export function readCookies(request: FastifyRequest): Record<string, string> {
  const header = request.headers.cookie;
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    const name = part.slice(0, i).trim();
    const raw = part.slice(i + 1).trim().replace(/^"(.*)"$/, '$1');
    if (!name || name in out) continue;
    try {
      out[name] = decodeURIComponent(raw);
    } catch {
      out[name] = raw;
    }
  }
  return out;
}

function cookie(name: string, value: string, path: string, maxAge: number, secure: boolean): string {
  const parts = [`${name}=${encodeURIComponent(value)}`, `Path=${path}`, `Max-Age=${maxAge}`, 'HttpOnly', 'SameSite=Lax'];
  if (secure) parts.push('Secure');
  return parts.join('; ');
}

export function setTokenCookies(
  request: FastifyRequest,
  reply: FastifyReply,
  path: string,
  tokens: { access: string; refresh: string; accessTtl: number; refreshTtl: number },
): void {
  const secure = request.protocol === 'https';
  reply.header('set-cookie', [
    cookie(ACCESS_COOKIE, tokens.access, path, tokens.accessTtl, secure),
    cookie(REFRESH_COOKIE, tokens.refresh, path, tokens.refreshTtl, secure),
  ]);
}

export function clearTokenCookies(request: FastifyRequest, reply: FastifyReply, path: string): void {
  const secure = request.protocol === 'https';
  reply.header('set-cookie', [cookie(ACCESS_COOKIE, '', path, 0, secure), cookie(REFRESH_COOKIE, '', path, 0, secure)]);
}
