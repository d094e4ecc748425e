// Calls whose paging travels in headers (machines: x-page, x-has-next) need the response too.
import { call } from './client';

export interface Paged<T> {
  items: T;
  page: number;
  hasNext: boolean;
}

interface Outcome<D> {
  data?: D;
  error?: unknown;
  response: Response;
}

export async function callPaged<D, T>(request: Promise<Outcome<D>>, pick: (data: D) => T): Promise<Paged<T>> {
  let response: Response | undefined;
  const data = await call(
    request.then((r) => {
      response = r.response;
      return r;
    }),
  );
  return {
    items: pick(data),
    page: Number(response?.headers.get('x-page') ?? 1) || 1,
    hasNext: response?.headers.get('x-has-next') === 'true',
  };
}
