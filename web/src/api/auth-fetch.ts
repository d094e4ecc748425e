// The one place that attaches tokens, refreshes them and retries once. Every typed request goes
// through this fetch: it picks the app's stored token by the path's first segment, and on
// 401 TOKEN_EXPIRED asks that app's refresher for a new pair (one refresh in flight per app).
import { errorCodeOf } from './errors';
import { appOfPath, tokens, type AppName } from './tokens';

export interface TokenPair {
  access: string;
  refresh?: string;
}

/** exchanges a refresh token for a new pair; null when the server refuses it */
export type Refresher = (refresh: string) => Promise<TokenPair | null>;

export interface AuthFetchOptions {
  refreshers: Partial<Record<AppName, Refresher>>;
  lang: () => string;
  fetch?: (req: Request) => Promise<Response>;
}

export function createAuthFetch(opts: AuthFetchOptions): (req: Request) => Promise<Response> {
  const doFetch = opts.fetch ?? ((req: Request) => globalThis.fetch(req));
  const inflight = new Map<AppName, Promise<boolean>>();

  const refreshOnce = (app: AppName): Promise<boolean> => {
    const running = inflight.get(app);
    if (running) return running;
    const p = (async () => {
      const refresh = tokens.get(app)?.refresh;
      const refresher = opts.refreshers[app];
      if (!refresh || !refresher) return false;
      let pair: TokenPair | null = null;
      try {
        pair = await refresher(refresh);
      } catch {
        pair = null;
      }
      if (pair) tokens.rotate(app, pair.access, pair.refresh);
      else tokens.set(app, null);
      return pair !== null;
    })().finally(() => inflight.delete(app));
    inflight.set(app, p);
    return p;
  };

  const send = (req: Request, app: AppName | undefined): { sent: Promise<Response>; withStored: boolean } => {
    const headers = new Headers(req.headers);
    const stored = app ? tokens.get(app) : null;
    const withStored = Boolean(stored && !headers.has('authorization'));
    if (withStored) headers.set('authorization', `Bearer ${stored!.access}`);
    if (!headers.has('accept-language')) headers.set('accept-language', opts.lang());
    return { sent: doFetch(new Request(req, { headers })), withStored };
  };

  return async (request: Request) => {
    const app = appOfPath(new URL(request.url, window.location.href).pathname);
    // a retry needs the body again, and a streamed body can be read once
    const spare = request.clone();
    const first = send(request, app);
    const res = await first.sent;
    if (res.status !== 401 || !app || !first.withStored) return res;
    const code = await errorCodeOf(res);
    if (code === 'TOKEN_EXPIRED') {
      if (!(await refreshOnce(app))) return res;
      return send(spare, app).sent;
    }
    // the stored session was revoked (logged out elsewhere) or is unreadable: forget it
    if (code === 'INVALID_TOKEN' || code === 'TOKEN_NOT_FOUND') tokens.set(app, null);
    return res;
  };
}
