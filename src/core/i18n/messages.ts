// Message catalogue: every error code a client can see, in Korean (default) and English.
// App-specific codes are added by each app through registerMessages().
export type Lang = 'ko' | 'en';
export type Catalogue = Record<string, { ko: string; en: string }>;

const messages: Catalogue = {
  NOT_FOUND: { ko: '요청한 리소스를 찾을 수 없습니다.', en: 'The requested resource was not found.' },
  METHOD_NOT_ALLOWED: { ko: '허용되지 않는 메소드입니다.', en: 'Method not allowed.' },
  MALFORMED_JSON: { ko: 'JSON 형식이 올바르지 않습니다.', en: 'The request body is not valid JSON.' },
  PAYLOAD_TOO_LARGE: { ko: '요청 본문이 너무 큽니다.', en: 'The request body is too large.' },
  UNSUPPORTED_MEDIA_TYPE: {
    ko: '지원하지 않는 Content-Type 입니다.',
    en: 'Unsupported Content-Type.',
  },
  VALIDATION_ERROR: { ko: '입력값이 올바르지 않습니다.', en: 'The input is not valid.' },
  RATE_LIMITED: {
    ko: '요청이 너무 많습니다. 잠시 후 다시 시도해 주세요.',
    en: 'Too many requests. Please try again later.',
  },
  INTERNAL_ERROR: {
    ko: '서버 내부 오류가 발생했습니다.',
    en: 'An internal server error occurred.',
  },
  SERVICE_UNAVAILABLE: {
    ko: '서비스를 일시적으로 사용할 수 없습니다.',
    en: 'The service is temporarily unavailable.',
  },
  TOKEN_NOT_FOUND: { ko: '토큰이 없습니다.', en: 'No token was provided.' },
  TOKEN_EXPIRED: { ko: '토큰이 만료되었습니다.', en: 'The token has expired.' },
  INVALID_TOKEN: { ko: '토큰이 유효하지 않습니다.', en: 'The token is not valid.' },
  NUL_CHARACTER: { ko: 'NUL 문자(\\u0000)는 사용할 수 없습니다.', en: 'The NUL character (\\u0000) is not allowed.' },
  FORBIDDEN: { ko: '권한이 없습니다.', en: 'You do not have permission to do this.' },
  CONFLICT: { ko: '요청이 현재 상태와 충돌합니다.', en: 'The request conflicts with the current state.' },
  // requests the HTTP parser refuses (core/http/client-error.ts)
  INVALID_URL: {
    ko: '요청 주소에 인코딩되지 않은 문자가 있습니다. 한글이나 공백은 퍼센트 인코딩해서 보내 주세요. (예: 치킨 → %EC%B9%98%ED%82%A8)',
    en: 'The request URL contains characters that must be percent-encoded (e.g. 치킨 → %EC%B9%98%ED%82%A8).',
  },
  MALFORMED_MULTIPART: {
    ko: 'multipart/form-data 본문 형식이 올바르지 않습니다.',
    en: 'The multipart/form-data body is malformed.',
  },
  MALFORMED_REQUEST: { ko: '요청을 해석할 수 없습니다.', en: 'The request could not be parsed.' },
  REQUEST_TIMEOUT: { ko: '요청 시간이 초과되었습니다.', en: 'The request timed out.' },
  HEADERS_TOO_LARGE: { ko: '요청 헤더가 너무 큽니다.', en: 'The request headers are too large.' },
};

// Each app's codes live in its own catalogue: two apps may word the same code differently
// (two apps' INVALID_CREDENTIALS), and neither may overwrite the other.
const byApp = new Map<string, Catalogue>();

export function registerMessages(extra: Catalogue, app?: string): void {
  if (!app) {
    Object.assign(messages, extra);
    return;
  }
  byApp.set(app, { ...(byApp.get(app) ?? {}), ...extra });
}

/** The app's wording first, then the core's, then any app's (codes unique to one app). */
export function message(code: string, lang: Lang, app?: string): string {
  const m = (app ? byApp.get(app)?.[code] : undefined) ?? messages[code] ?? anyApp(code);
  return m ? m[lang] : code;
}

function anyApp(code: string): { ko: string; en: string } | undefined {
  for (const cat of byApp.values()) if (cat[code]) return cat[code];
  return undefined;
}

export function hasMessage(code: string): boolean {
  return code in messages || anyApp(code) !== undefined;
}

/** Picks the language from an Accept-Language header: English only when asked for first. */
export function pickLang(header: string | undefined): Lang {
  if (!header) return 'ko';
  const first = header.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'ko';
}
