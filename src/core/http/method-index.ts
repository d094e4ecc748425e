// Fastify answers a known path with an unknown method as 404; this index of every registered
// route lets the not-found handler answer 405 with an Allow header instead.
import FindMyWay, { type HTTPMethod } from 'find-my-way';

const METHODS: HTTPMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

export class MethodIndex {
  private router = FindMyWay({ ignoreTrailingSlash: true, ignoreDuplicateSlashes: true });

  add(method: string | string[], url: string): void {
    for (const m of Array.isArray(method) ? method : [method]) {
      try {
        this.router.on(m as HTTPMethod, url, () => undefined);
      } catch {
        // already known (HEAD routes are added next to GET): nothing to do
      }
    }
  }

  /** methods with a route for this path; empty when only CORS's catch-all OPTIONS matches */
  allowed(path: string): string[] {
    const found = METHODS.filter((m) => this.router.find(m, path) !== null);
    return found.some((m) => m !== 'OPTIONS' && m !== 'HEAD') ? found : [];
  }
}
