// Driving an app into the overload guard (@fastify/under-pressure) for tests: keep the event loop
// busy in short bursts and ask /healthz until the guard's next sample answers 503.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

/** busy-waits `ms` so the measured event-loop delay exceeds a 1 ms limit */
function block(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // deliberately blocking
  }
}

/** /healthz answered under load: the first 503, or the last answer when none came within `timeoutMs` */
export async function overloaded(app: FastifyInstance, timeoutMs = 30_000): Promise<LightMyRequestResponse> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const res = await app.inject({ url: '/healthz' });
    if (res.statusCode === 503 || Date.now() > end) return res;
    block(50);
    await new Promise((r) => setTimeout(r, 10)); // lets the guard's sampling timer run
  }
}
