// The API's one error envelope, {"error": {"code", "message", "fields?"}}, as a thrown value the
// UI can show: `message` for the form, `fields` under each input.
export type FieldErrors = Record<string, string[]>;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldErrors = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** the first message for a field, if the server rejected it */
  field(name: string): string | undefined {
    return this.fields[name]?.[0];
  }
}

interface Envelope {
  error?: { code?: unknown; message?: unknown; fields?: unknown };
}

function cleanFields(raw: unknown): FieldErrors {
  if (!raw || typeof raw !== 'object') return {};
  const out: FieldErrors = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    const list = (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
    if (list.length) out[k] = list;
  }
  return out;
}

/**
 * builds an ApiError from a parsed error body; `fallback` is used when the body is not the envelope.
 * `json`: the body came as JSON — a route that keeps an original front end's shape may refuse with
 * a bare JSON string, shown as it is (a proxy's text or HTML page is not).
 */
export function toApiError(status: number, body: unknown, fallback: string, json = false): ApiError {
  if (json && typeof body === 'string' && body.trim()) return new ApiError(status, 'HTTP_ERROR', body);
  const e = (body as Envelope | null)?.error;
  if (e && typeof e.code === 'string') {
    return new ApiError(status, e.code, typeof e.message === 'string' ? e.message : fallback, cleanFields(e.fields));
  }
  return new ApiError(status, status === 0 ? 'NETWORK_ERROR' : 'HTTP_ERROR', fallback);
}

export async function errorCodeOf(res: Response): Promise<string | undefined> {
  try {
    const body = (await res.clone().json()) as Envelope;
    return typeof body.error?.code === 'string' ? body.error.code : undefined;
  } catch {
    return undefined;
  }
}
