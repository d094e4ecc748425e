// Redis pub/sub between two independent clients, as between two API instances.
import { afterAll, expect, it } from 'vitest';
import { createLogger } from '../../src/core/observability/logger.js';
import { RedisPubSub } from '../../src/core/realtime/pubsub.js';
import { SharedCache } from '../../src/core/realtime/shared-cache.js';
import { eventually, realServices } from '../process.js';

const url = realServices()!.REDIS_URL;
const prefix = `madang-ps-${process.pid}`;
const a = new RedisPubSub(url, prefix, createLogger('silent'));
const b = new RedisPubSub(url, prefix, createLogger('silent'));
afterAll(async () => {
  await a.close();
  await b.close();
});

it('a message published by one instance reaches subscribers of the other', async () => {
  const got: unknown[] = [];
  await b.subscribe('topic', (m) => got.push(m));
  await a.publish('topic', { hello: 'world' });
  await eventually(async () => got.length === 1, 5000, 10);
  expect(got).toEqual([{ hello: 'world' }]);
});

it('shared-cache invalidations cross instances', async () => {
  const one = new SharedCache<string>('x', a, { ttlMs: 60_000, max: 10 });
  const two = new SharedCache<string>('x', b, { ttlMs: 60_000, max: 10 });
  await Promise.all([one.whenReady(), two.whenReady()]);
  let v = 'old';
  await two.get('k', async () => v);
  v = 'new';
  await one.invalidate('k');
  await eventually(async () => (await two.get('k', async () => v)) === 'new', 5000, 10);
});
