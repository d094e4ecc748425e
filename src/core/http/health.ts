// Liveness (/healthz: the process answers) and readiness (/readyz: the database, and Redis when
// configured, answer; the face models' state is reported as checks.vision without failing it),
// plus Prometheus /metrics.
import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError } from '../errors.js';
import type { FastifyInstance } from 'fastify';
import type { Core } from '../core.js';

export async function registerHealth(app: FastifyInstance, core: Core): Promise<void> {
  app.get('/healthz', { schema: { hide: true }, config: { rateLimit: false } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true }, config: { rateLimit: false } }, async (_req, reply) => {
    const checks: Record<string, string> = {};
    let ok = true;
    try {
      await withTimeout(core.database.ping(), 2000);
      checks.db = 'ok';
    } catch {
      checks.db = 'down';
      ok = false;
    }
    if (core.redis) {
      try {
        await withTimeout(core.redis.ping(), 2000);
        checks.redis = 'ok';
      } catch {
        checks.redis = 'down';
        ok = false;
      }
    }
    // the face models: reported, never failing readiness (routes of other apps serve meanwhile,
    // and queued analyses simply wait for the models); absent when no chosen app analyses faces
    const vision = core.analyzer?.state?.();
    if (vision) checks.vision = vision;
    return reply.status(ok ? 200 : 503).send({ status: ok ? 'ready' : 'unavailable', checks });
  });
  const token = core.config.METRICS_TOKEN;
  app.get('/metrics', { schema: { hide: true }, config: { rateLimit: false } }, async (req, reply) => {
    // with METRICS_TOKEN the scraper must present it (docs/security.md); the shipped nginx does
    // not pass /metrics at all, Prometheus scrapes the instances directly
    if (token !== undefined && !bearerMatches(req.headers.authorization, token)) {
      throw new AppError('INVALID_TOKEN', 401, undefined, undefined, { 'www-authenticate': 'Bearer realm="metrics"' });
    }
    reply.type(core.metrics.registry.contentType);
    return core.metrics.registry.metrics();
  });
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!m) return false;
  const given = createHash('sha256').update(m[1]!.trim()).digest();
  return timingSafeEqual(given, createHash('sha256').update(token).digest());
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('timeout')), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
