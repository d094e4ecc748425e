// The typed API client (paths generated from /openapi.json) and `call`, which turns the error
// envelope into a thrown ApiError so forms can show `message` and per-field errors.
import createClient from 'openapi-fetch';
import { currentLang, defineText, translate } from '../i18n';
import { createAuthFetch } from './auth-fetch';
import { ApiError, toApiError } from './errors';
import { refreshers } from './refresh';
import type { paths } from './schema';

export type { paths };

export const authFetch = createAuthFetch({ refreshers, lang: currentLang });

export const api = createClient<paths>({ baseUrl: '', fetch: authFetch });

const text = defineText(
  {
    network: '서버에 연결할 수 없습니다. 잠시 후 다시 시도해 주세요.',
    http: '요청을 처리하지 못했습니다 (HTTP {status}).',
  },
  {
    network: 'Cannot reach the server. Please try again shortly.',
    http: 'The request failed (HTTP {status}).',
  },
);

interface Outcome<D> {
  data?: D;
  error?: unknown;
  response: Response;
}

/** awaits an openapi-fetch call and returns its data, or throws the server's error as ApiError */
export async function call<D>(request: Promise<Outcome<D>>): Promise<D> {
  let r: Outcome<D>;
  try {
    r = await request;
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', translate(text, currentLang(), 'network'));
  }
  if (r.error !== undefined || !r.response.ok) {
    const json = r.response.headers.get('content-type')?.includes('json') ?? false;
    throw toApiError(r.response.status, r.error, translate(text, currentLang(), 'http', { status: r.response.status }), json);
  }
  return r.data as D;
}

/** the message to show for anything a call may throw */
export function messageOf(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  return translate(text, currentLang(), 'network');
}
