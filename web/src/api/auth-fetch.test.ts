import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAuthFetch, type Refresher } from './auth-fetch';
import { tokens } from './tokens';

function envelope(status: number, code: string): Response {
  return new Response(JSON.stringify({ error: { code, message: code } }), { status, headers: { 'content-type': 'application/json' } });
}

interface Seen {
  url: string;
  auth: string | null;
  lang: string | null;
  body: string;
}

/** a fake server: access tokens in `valid` are accepted, anything else is expired */
function server(valid: Set<string>) {
  const seen: Seen[] = [];
  const fetch = vi.fn(async (req: Request) => {
    const auth = req.headers.get('authorization');
    seen.push({ url: new URL(req.url).pathname, auth, lang: req.headers.get('accept-language'), body: await req.text() });
    if (!auth) return envelope(401, 'TOKEN_NOT_FOUND');
    if (auth === 'Bearer revoked') return envelope(401, 'INVALID_TOKEN');
    return valid.has(auth.slice(7)) ? new Response('{"ok":true}', { status: 200 }) : envelope(401, 'TOKEN_EXPIRED');
  });
  return { fetch, seen };
}

const post = (path: string, body: unknown) =>
  new Request(`http://madang.test${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

beforeEach(() => {
  localStorage.clear();
  for (const app of ['auth', 'machines'] as const) tokens.set(app, null);
});
afterEach(() => vi.restoreAllMocks());

describe('token refresh', () => {
  it('attaches the stored token of the path’s app and the language', async () => {
    const s = server(new Set(['a1']));
    tokens.set('auth', { access: 'a1', refresh: 'r1' });
    tokens.set('machines', { access: 'm1' });
    const f = createAuthFetch({ refreshers: {}, lang: () => 'en', fetch: s.fetch });
    expect((await f(new Request('http://madang.test/auth/api/me/'))).status).toBe(200);
    expect(s.seen[0]).toMatchObject({ auth: 'Bearer a1', lang: 'en' });
    await f(new Request('http://madang.test/healthz'));
    expect(s.seen[1]!.auth).toBeNull();
  });

  it('on TOKEN_EXPIRED refreshes once, stores the new pair and replays the request with its body', async () => {
    const s = server(new Set(['a2']));
    tokens.set('auth', { access: 'a1', refresh: 'r1', user: { username: 'kim' } });
    const refresher = vi.fn<Refresher>(async (r) => (r === 'r1' ? { access: 'a2', refresh: 'r2' } : null));
    const f = createAuthFetch({ refreshers: { auth: refresher }, lang: () => 'ko', fetch: s.fetch });
    const res = await f(post('/auth/api/logout/', { hello: '세계' }));
    expect(res.status).toBe(200);
    expect(refresher).toHaveBeenCalledTimes(1);
    expect(s.seen.map((x) => x.auth)).toEqual(['Bearer a1', 'Bearer a2']);
    expect(s.seen[1]!.body).toBe('{"hello":"세계"}');
    expect(tokens.get('auth')).toEqual({ access: 'a2', refresh: 'r2', user: { username: 'kim' } });
  });

  it('shares one refresh between concurrent requests', async () => {
    const s = server(new Set(['a2']));
    tokens.set('auth', { access: 'a1', refresh: 'r1' });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const refresher = vi.fn<Refresher>(async () => {
      await gate;
      return { access: 'a2', refresh: 'r2' };
    });
    const f = createAuthFetch({ refreshers: { auth: refresher }, lang: () => 'ko', fetch: s.fetch });
    const all = Promise.all([1, 2, 3].map(() => f(new Request('http://madang.test/auth/api/me/'))));
    await vi.waitFor(() => expect(s.seen.length).toBe(3));
    release();
    expect((await all).map((r) => r.status)).toEqual([200, 200, 200]);
    expect(refresher).toHaveBeenCalledTimes(1);
  });

  it('forgets the session when the refresh is refused and returns the 401', async () => {
    const s = server(new Set());
    tokens.set('auth', { access: 'a1', refresh: 'stale' });
    const f = createAuthFetch({ refreshers: { auth: async () => null }, lang: () => 'ko', fetch: s.fetch });
    const res = await f(new Request('http://madang.test/auth/api/me/'));
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('TOKEN_EXPIRED');
    expect(tokens.get('auth')).toBeNull();
    expect(s.seen).toHaveLength(1);
  });

  it('forgets a revoked session without trying to refresh it', async () => {
    const s = server(new Set());
    tokens.set('machines', { access: 'revoked', refresh: 'r' });
    const refresher = vi.fn<Refresher>();
    const f = createAuthFetch({ refreshers: { machines: refresher }, lang: () => 'ko', fetch: s.fetch });
    expect((await f(new Request('http://madang.test/machines/api/machines/'))).status).toBe(401);
    expect(refresher).not.toHaveBeenCalled();
    expect(tokens.get('machines')).toBeNull();
  });

  it('leaves requests without a stored session alone', async () => {
    const s = server(new Set());
    const refresher = vi.fn<Refresher>();
    const f = createAuthFetch({ refreshers: { auth: refresher }, lang: () => 'ko', fetch: s.fetch });
    const res = await f(post('/auth/api/verify/', { token: null }));
    expect(res.status).toBe(401);
    expect(refresher).not.toHaveBeenCalled();
    expect(s.seen).toHaveLength(1);
  });
});
