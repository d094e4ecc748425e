// Korean by default, English on request; the choice is remembered. Each section carries its own
// strings (defineText) so a lazy chunk brings its words with it.
import { useCallback, useSyncExternalStore } from 'react';

export type Lang = 'ko' | 'en';
const KEY = 'madang.lang';
const listeners = new Set<() => void>();

function stored(): Lang {
  try {
    return localStorage.getItem(KEY) === 'en' ? 'en' : 'ko';
  } catch {
    return 'ko';
  }
}

let lang: Lang = stored();

export function currentLang(): Lang {
  return lang;
}

export function setLang(next: Lang): void {
  lang = next;
  try {
    localStorage.setItem(KEY, next);
  } catch {
    // the choice lasts for this tab only
  }
  document.documentElement.lang = next;
  for (const l of listeners) l();
}

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

export function useLang(): Lang {
  return useSyncExternalStore(subscribe, currentLang, () => 'ko');
}

export interface Text<K extends string> {
  ko: Record<K, string>;
  en: Record<K, string>;
}

/** a section's strings: Korean first (the keys), English with exactly the same keys */
export function defineText<K extends string>(ko: Record<K, string>, en: Record<K, string>): Text<K> {
  return { ko, en };
}

export type Translate<K extends string> = (key: K, vars?: Record<string, string | number>) => string;

export function translate<K extends string>(text: Text<K>, l: Lang, key: K, vars?: Record<string, string | number>): string {
  const s = text[l][key] ?? text.ko[key] ?? key;
  return vars ? s.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) : s;
}

export function useT<K extends string>(text: Text<K>): Translate<K> {
  const l = useLang();
  return useCallback((key: K, vars?: Record<string, string | number>) => translate(text, l, key, vars), [text, l]);
}

/** dates and numbers in the reader's language (Korean dates for ko) */
export function formatDate(iso: string | null | undefined, l: Lang): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(l === 'ko' ? 'ko-KR' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}
