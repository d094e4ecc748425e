// Cached or not, a post reply carries exactly what its route's response schema allows. The Post
// JSON mapper is replaced here by one that adds fields no schema declares (a password hash at the
// top and in the writer), as a new column spread into the JSON would: none may reach a client,
// whether the reply is loaded (miss) or comes from the list/detail cache (hit).
import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { z } from 'zod';
import { buildTestApp, type TestApp } from '../../../../test/harness.js';
import { body, mb, type MbUserRef } from '../../../../test/e2e/mealbuddy-helpers.js';
import { cacheCountsOf } from '../../../../test/metrics.js';
import type { PostRow } from './posts.repository.js';
import * as s from './posts.schemas.js';

const LEAK = 'pbkdf2_sha256$leaked-hash';

vi.mock('./posts.json.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('./posts.json.js')>();
  return {
    postJson: (p: PostRow) => {
      const json = real.postJson(p);
      return { ...json, writer_password_hash: 'pbkdf2_sha256$leaked-hash', writer: { ...json.writer, password_hash: 'pbkdf2_sha256$leaked-hash' } };
    },
  };
});

type Json = Record<string, unknown> & { writer: Record<string, unknown> };
const keys = (schema: z.ZodObject) => Object.keys(schema.shape);
const writerKeys = Object.keys(s.postJson.shape.writer.shape);

/** the reply has the schema's keys, in its order, and nothing else at either level */
function expectExactly(post: Json, schema: z.ZodObject) {
  expect(Object.keys(post)).toEqual(keys(schema));
  expect(Object.keys(post.writer)).toEqual(writerKeys);
}

let t: TestApp;
let api: ReturnType<typeof mb>;
let writer: MbUserRef;
let reader: MbUserRef;
beforeEach(async () => {
  t = await buildTestApp({ apps: ['mealbuddy'] });
  api = mb(t.app);
  writer = await api.register('writer');
  reader = await api.register('reader');
});

describe('replies pass their schema, cached or not', () => {
  const row: PostRow = {
    id: 1, title: 't', category: 'c', content: 'c', address: 'a', createdAt: new Date(0), isCompelete: false,
    targetNumber: 3, joinNumber: 1, writerId: 1, writerUsername: 'u', writerEmail: 'e', chatId: 1,
  };

  it('the mapper the services use does add the extra fields (the double is in place)', async () => {
    const { postJson } = await import('./posts.json.js');
    expect(postJson(row)).toMatchObject({ writer_password_hash: LEAK, writer: { password_hash: LEAK } });
  });

  it('the real mapper writes exactly the schema keys (a field it adds would be dropped silently)', async () => {
    const { postJson } = await vi.importActual<typeof import('./posts.json.js')>('./posts.json.js');
    expectExactly(postJson(row), s.postJson);
  });

  /**
   * Reads until at least one read loaded (a miss) and one came from the cache (a hit), checking
   * every reply; a change notice still on its way may turn a repeat into another miss.
   */
  async function missAndHit(cache: string, read: () => Promise<void>) {
    const seen = new Set<string>();
    for (let i = 0; i < 20 && seen.size < 2; i++) {
      const before = await cacheCountsOf(t.app, cache);
      await read();
      const after = await cacheCountsOf(t.app, cache);
      if (after.hit! > (before.hit ?? 0)) seen.add('hit');
      if (after.miss! > (before.miss ?? 0)) seen.add('miss');
    }
    expect([...seen].sort()).toEqual(['hit', 'miss']);
  }

  it('list: the loaded page and the cached page carry only the schema keys', async () => {
    await api.write(writer, { title: '하나' });
    await api.write(writer, { title: '둘' });
    await missAndHit('mealbuddy-post-lists', async () => {
      const res = await api.call('GET', '/api/post/?page=1', reader.token);
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain(LEAK);
      const list = body<{ posts: Json[]; paginator: Record<string, unknown> }>(res);
      expect(Object.keys(list)).toEqual(keys(s.listReply));
      expect(Object.keys(list.paginator)).toEqual(keys(s.listReply.shape.paginator));
      expect(list.posts.map((p) => p.title)).toEqual(['둘', '하나']);
      for (const p of list.posts) expectExactly(p, s.postJson);
    });
  });

  it('detail: joined and not joined, loaded and cached, carry only the schema keys', async () => {
    const p = await api.write(writer, {});
    for (const who of [writer, reader]) {
      // a change notice drops the cached post, so this viewer's first read loads it
      await t.container.core.db.execute(sql`update mealbuddy_posts set title = title where id = ${p.id}`);
      await missAndHit('mealbuddy-posts', async () => {
        const res = await api.call('GET', `/api/post/detail/${p.id}/`, who.token);
        expect(res.statusCode).toBe(200);
        expect(res.body).not.toContain(LEAK);
        const post = body<Json>(res);
        expectExactly(post, s.postWithJoined);
        expect(post.is_joined).toBe(who === writer);
      });
    }
  });

  it('write (201), edit form and edit (200) carry only the schema keys', async () => {
    const res = await api.form('/api/post/write/', { title: 't', category: '치킨', content: 'c', target_number: 3 }, writer.token);
    expect(res.statusCode).toBe(201);
    expect(res.body).not.toContain(LEAK);
    const { id } = body<Json & { id: number }>(res);
    expectExactly(body<Json>(res), s.postJson);
    const form = await api.call('GET', `/api/post/detail/${id}/edit/`, writer.token);
    expect(form.body).not.toContain(LEAK);
    expectExactly(body<Json>(form), s.postJson);
    const edited = await api.call('POST', `/api/post/detail/${id}/edit/`, writer.token, { title: '고침' });
    expect(edited.statusCode).toBe(200);
    expect(edited.body).not.toContain(LEAK);
    expectExactly(body<Json>(edited), s.postWithJoined);
    expect(body(edited)).toMatchObject({ title: '고침', is_joined: true });
  });
});
