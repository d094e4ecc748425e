// The original's response envelope (docs/apps/machines.md §5): success bodies are {"status": 1, "result": …};
// error bodies keep the platform's {"error": {…}} and add "status": 0, the numeric "error_code"
// and a DRF-style "message" (the field map for validation errors), so clients of either style work.
import type { ErrorBody, ErrorDecorator } from '../../core/http/errors.js';

/** ErrorCode of defines/response_status.py */
export const ERROR_CODE = {
  UNKNOWN: 0,
  BADREQUEST: 2,
  UNAUTHENTICATED: 3,
  PERMISSIONDENIED: 4,
  NOTFOUND: 5,
  METHODNOTALLOWED: 6,
  NOTACCEPTABLE: 7,
  UNSUPPORTEDMEDIATYPE: 8,
  THROTTLED: 9,
  DATABASEERROR: 10,
} as const;

export function errorCodeOf(status: number): number {
  switch (status) {
    case 401:
      return ERROR_CODE.UNAUTHENTICATED;
    case 403:
      return ERROR_CODE.PERMISSIONDENIED;
    case 404:
      return ERROR_CODE.NOTFOUND;
    case 405:
      return ERROR_CODE.METHODNOTALLOWED;
    case 406:
      return ERROR_CODE.NOTACCEPTABLE;
    case 415:
      return ERROR_CODE.UNSUPPORTEDMEDIATYPE;
    case 429:
      return ERROR_CODE.THROTTLED;
    default:
      // 409 and 413 did not exist in the original; they are the client's fault, like 400
      return status >= 400 && status < 500 ? ERROR_CODE.BADREQUEST : ERROR_CODE.UNKNOWN;
  }
}

export const decorateError: ErrorDecorator = (body: ErrorBody, status: number) => ({
  ...body,
  status: 0,
  message: body.error.fields ?? body.error.message,
  error_code: errorCodeOf(status),
});

export function ok<T>(result: T): { status: 1; result: T } {
  return { status: 1, result };
}
