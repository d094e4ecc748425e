// The list and detail are served from a cache (mealbuddy.cache.ts): repeated reads are answered
// from it (hits counted in /metrics), every change must show at once to the client that made it
// and to another app instance on the same database, and changes made straight in the database
// must show too.
import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../test/harness.js';
import { body, mb, type MbUserRef } from '../../../../test/e2e/mealbuddy-helpers.js';
import { cacheCountsOf, readUntilHit } from '../../../../test/metrics.js';
import { eventually } from '../../../../test/spawn.js';
import type { SerializedReply } from '../../../core/http/serializer.js';
import { MealbuddyCache } from '../mealbuddy.cache.js';

type Post = { id: number; title: string; join_number: number; is_joined: boolean; writer: { username: string } };
type List = { posts: Post[] };

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

const list = async (who: MbUserRef) => body<List>(await api.call('GET', '/api/post/?page=1', who.token)).posts;
const detail = async (who: MbUserRef, id: number) => body<Post>(await api.call('GET', `/api/post/detail/${id}/`, who.token));
const until = (check: () => Promise<void>) =>
  eventually(async () => {
    await check();
    return true;
  }, 5000, 20);

describe('cached list and detail follow every change', () => {
  it('writes, edits, joins, leaves and deletes show at once to the next read', async () => {
    expect(await list(reader)).toEqual([]);
    const p = await api.write(writer, { title: '첫 글' });
    expect((await list(reader)).map((x) => x.title)).toEqual(['첫 글']);
    expect(await detail(reader, p.id)).toMatchObject({ join_number: 1, is_joined: false });

    expect((await api.join(reader, p.chat_id)).statusCode).toBe(200);
    expect(await detail(reader, p.id)).toMatchObject({ join_number: 2, is_joined: true });
    expect((await list(reader))[0]!.join_number).toBe(2);

    expect((await api.call('DELETE', `/api/chat/${p.chat_id}/user/`, reader.token)).statusCode).toBe(200);
    expect(await detail(reader, p.id)).toMatchObject({ join_number: 1, is_joined: false });

    expect((await api.call('POST', `/api/post/detail/${p.id}/edit/`, writer.token, { title: '고친 글' })).statusCode).toBe(200);
    expect((await list(reader))[0]!.title).toBe('고친 글');
    expect((await detail(reader, p.id)).title).toBe('고친 글');

    expect((await api.call('POST', '/api/user/update/', writer.token, { username: 'renamed' })).statusCode).toBe(200);
    expect((await list(reader))[0]!.writer.username).toBe('renamed');
    expect((await detail(reader, p.id)).writer.username).toBe('renamed');

    expect((await api.call('POST', `/api/post/detail/${p.id}/delete/`, writer.token)).statusCode).toBe(204);
    expect(await list(reader)).toEqual([]);
    expect((await api.call('GET', `/api/post/detail/${p.id}/`, reader.token)).statusCode).toBe(404);
  });

  it('pages, categories and neighbourhoods are cached apart', async () => {
    for (let i = 0; i < 12; i++) await api.write(writer, { title: `글${i}`, category: i % 2 ? '피자' : '치킨' });
    const far = await api.register('far', '서울특별시 마포구 서교동');
    const page = async (q: string, who = reader) => body<List>(await api.call('GET', `/api/post/?${q}`, who.token)).posts.map((x) => x.title);
    expect(await page('page=1')).toHaveLength(10);
    expect(await page('page=2')).toEqual(['글1', '글0']);
    expect(await page('page=1&category=피자')).toEqual(['글11', '글9', '글7', '글5', '글3', '글1']);
    expect(await page('page=1', far)).toEqual([]);
    await api.write(far, { title: '서교동 글' });
    expect(await page('page=1', far)).toEqual(['서교동 글']);
    expect(await page('page=2')).toEqual(['글1', '글0']);
  });

  it('changes made straight in the database reach the cache (NOTIFY from triggers)', async () => {
    const p = await api.write(writer, { title: '원래 제목' });
    expect((await list(reader))[0]!.title).toBe('원래 제목');
    expect((await detail(reader, p.id)).title).toBe('원래 제목');
    await t.container.core.db.execute(sql`update mealbuddy_posts set title = '바뀐 제목' where id = ${p.id}`);
    await until(async () => expect((await list(reader))[0]!.title).toBe('바뀐 제목'));
    await until(async () => expect((await detail(reader, p.id)).title).toBe('바뀐 제목'));
    await t.container.core.db.execute(sql`update mealbuddy_users set username = 'sql-renamed' where id = ${writer.id}`);
    await until(async () => expect((await list(reader))[0]!.writer.username).toBe('sql-renamed'));
    await t.container.core.db.execute(sql`update mealbuddy_users set is_active = false where id = ${reader.id}`);
    await until(async () => expect((await api.call('GET', '/api/post/?page=1', reader.token)).statusCode).toBe(401));
  });
});

describe('the cache is used', () => {
  it('a repeated read is a hit in /metrics; the read after a change loads again and shows it', async () => {
    const p = await api.write(writer, { title: '캐시' });
    expect((await readUntilHit(t.app, 'mealbuddy-post-lists', () => list(reader)))[0]!.title).toBe('캐시');
    expect((await readUntilHit(t.app, 'mealbuddy-posts', () => detail(reader, p.id))).title).toBe('캐시');
    const before = await cacheCountsOf(t.app, 'mealbuddy-post-lists');
    expect((await api.call('POST', `/api/post/detail/${p.id}/edit/`, writer.token, { title: '바뀜' })).statusCode).toBe(200);
    expect((await list(reader))[0]!.title).toBe('바뀜');
    const after = await cacheCountsOf(t.app, 'mealbuddy-post-lists');
    expect([after.hit! - before.hit!, after.miss! - before.miss!]).toEqual([0, 1]);
    expect((await readUntilHit(t.app, 'mealbuddy-post-lists', () => list(reader)))[0]!.title).toBe('바뀜');
    expect((await readUntilHit(t.app, 'mealbuddy-posts', () => detail(reader, p.id))).title).toBe('바뀜');
  });
});

describe('two app instances on one database', () => {
  it('a write through one is seen by the next read on the other, whose cache held the old reply', async () => {
    const other = await buildTestApp({ apps: ['mealbuddy'], keepData: true });
    const there = mb(other.app);
    const listThere = async () => body<List>(await there.call('GET', '/api/post/?page=1', reader.token)).posts;
    const detailThere = async (id: number) => body<Post>(await there.call('GET', `/api/post/detail/${id}/`, reader.token));
    const p = await api.write(writer, { title: '원래 제목' });
    // the other instance answers both from its cache
    expect((await readUntilHit(other.app, 'mealbuddy-post-lists', listThere))[0]!.title).toBe('원래 제목');
    expect(await readUntilHit(other.app, 'mealbuddy-posts', () => detailThere(p.id))).toMatchObject({ title: '원래 제목', join_number: 1, is_joined: false });

    // writes through the first instance; each next read on the other shows them, without waiting
    expect((await api.call('POST', `/api/post/detail/${p.id}/edit/`, writer.token, { title: '고친 제목' })).statusCode).toBe(200);
    expect((await listThere())[0]!.title).toBe('고친 제목');
    expect((await detailThere(p.id)).title).toBe('고친 제목');
    expect((await api.join(reader, p.chat_id)).statusCode).toBe(200);
    expect(await detailThere(p.id)).toMatchObject({ join_number: 2, is_joined: true });
    expect((await listThere())[0]!.join_number).toBe(2);
    expect((await api.call('POST', `/api/post/detail/${p.id}/delete/`, writer.token)).statusCode).toBe(204);
    expect(await listThere()).toEqual([]);
    expect((await there.call('GET', `/api/post/detail/${p.id}/`, reader.token)).statusCode).toBe(404);
  });
});

describe('change notices', () => {
  it('drop exactly what they name; an address may hold colons', async () => {
    const cache = new MealbuddyCache();
    for (const c of [cache.users, cache.lists, cache.posts]) c.setLive(true);
    const bytes = (text: string) => Buffer.from(text) as SerializedReply;
    const fill = async () => {
      await cache.lists.get('서울 a:b', '\u00001', async () => bytes('list'));
      await cache.lists.get('부산', '\u00001', async () => bytes('other'));
      await cache.users.get('7', '', async () => null);
    };
    await fill();
    cache.apply('p:5:서울 a:b');
    expect(cache.lists.peek('서울 a:b', '\u00001')).toBeUndefined();
    expect(cache.lists.peek('부산', '\u00001')?.toString()).toBe('other');
    cache.apply('u:7');
    expect(cache.users.peek('7')).toBeUndefined();
    await fill();
    cache.apply('w');
    expect(cache.lists.size).toBe(0);
    expect(cache.users.peek('7')).toBeNull();
    cache.apply('*');
    expect(cache.users.size).toBe(0);
  });
});
