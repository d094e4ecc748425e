// Tokens per app (each app has its own users and token audience), kept in localStorage so a
// reload keeps the session; React components subscribe with useSession(app).
import { useSyncExternalStore } from 'react';

export const APPS = ['auth', 'machines', 'mealbuddy', 'zodiac', 'igemoji'] as const;
export type AppName = (typeof APPS)[number];

export interface Session {
  access: string;
  refresh?: string;
  /** app-specific facts kept beside the tokens (e.g. zodiac's user uuid, a display name) */
  user?: Record<string, string | number>;
}

const key = (app: AppName) => `madang.session.${app}`;
const listeners = new Set<() => void>();
const cache = new Map<AppName, Session | null>();

function read(app: AppName): Session | null {
  if (!cache.has(app)) {
    let value: Session | null = null;
    try {
      const raw = localStorage.getItem(key(app));
      const parsed = raw ? (JSON.parse(raw) as Session) : null;
      value = parsed && typeof parsed.access === 'string' ? parsed : null;
    } catch {
      value = null;
    }
    cache.set(app, value);
  }
  return cache.get(app) ?? null;
}

export const tokens = {
  get: read,
  set(app: AppName, session: Session | null): void {
    cache.set(app, session);
    try {
      if (session) localStorage.setItem(key(app), JSON.stringify(session));
      else localStorage.removeItem(key(app));
    } catch {
      // private mode or full storage: the session lives in memory for this tab
    }
    for (const l of listeners) l();
  },
  /** replaces the token pair, keeping the stored user facts */
  rotate(app: AppName, access: string, refresh?: string): void {
    const prev = read(app);
    tokens.set(app, { ...prev, access, refresh: refresh ?? prev?.refresh });
  },
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

// another tab logged in or out
if (typeof window !== 'undefined') {
  window.addEventListener('storage', (e) => {
    if (!e.key?.startsWith('madang.session.')) return;
    cache.clear();
    for (const l of listeners) l();
  });
}

export function useSession(app: AppName): Session | null {
  return useSyncExternalStore(tokens.subscribe, () => read(app), () => null);
}

/** the app a request belongs to, from its first path segment (/machines/api/… → machines) */
export function appOfPath(pathname: string): AppName | undefined {
  const first = pathname.split('/')[1];
  return (APPS as readonly string[]).includes(first ?? '') ? (first as AppName) : undefined;
}
