// Multipart uploads (the OpenAPI document does not describe multipart bodies, so openapi-fetch
// cannot type them): sent through the same authFetch, answered with the path's typed reply.
import { currentLang } from '../i18n';
import { authFetch } from './client';
import { ApiError, toApiError } from './errors';

export async function upload<T>(path: string, form: FormData): Promise<T> {
  let res: Response;
  try {
    res = await authFetch(new Request(path, { method: 'POST', body: form }));
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', currentLang() === 'ko' ? '서버에 연결할 수 없습니다.' : 'Cannot reach the server.');
  }
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) throw toApiError(res.status, body, `HTTP ${res.status}`);
  return body as T;
}
