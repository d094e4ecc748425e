import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../test/harness.js';
import { ADDRESS, body, mb, type MbUserRef } from '../../../../test/e2e/mealbuddy-helpers.js';
import { CATEGORIES } from './posts.schemas.js';

let t: TestApp;
let api: ReturnType<typeof mb>;
let alice: MbUserRef;
beforeEach(async () => {
  t = await buildTestApp({ apps: ['mealbuddy'] });
  api = mb(t.app);
  alice = await api.register('alice');
});

type Post = Record<string, unknown> & { id: number; chat_id: number; join_number: number; is_compelete: boolean };
type List = { posts: Post[]; paginator: Record<string, unknown> };
const fieldsOf = (res: { body: string }) => body<{ error: { fields: Record<string, string[]> } }>(res).error.fields;

/** n posts straight into the database (fast), oldest first */
async function seed(n: number, address = ADDRESS, category = '치킨') {
  await t.container.core.db.execute(sql`
    insert into mealbuddy_posts (title, category, content, writer_id, address, target_number, join_number, created_at)
    select 'p' || g, ${category}, 'c', ${alice.id}, ${address}, 3, 1, now() - (${n} - g) * interval '1 second'
    from generate_series(1, ${n}) g`);
  await t.container.core.db.execute(sql`insert into mealbuddy_chat_rooms (post_id) select id from mealbuddy_posts where id not in (select post_id from mealbuddy_chat_rooms)`);
}

describe('write', () => {
  it('201 Post JSON; room created; writer auto-joined with the system message; counters server-managed', async () => {
    const res = await api.form('/api/post/write/', { title: '치킨먹으실분', category: '페스트푸드', content: '같이 시켜요', target_number: '4', join_number: '7', is_compelete: 'true' }, alice.token);
    expect(res.statusCode).toBe(201);
    const p = body<Post>(res);
    expect(Object.keys(p)).toEqual(['id', 'writer', 'address', 'title', 'category', 'content', 'created_at', 'is_compelete', 'target_number', 'join_number', 'chat_id']);
    expect(p).toMatchObject({ writer: { id: alice.id, username: 'alice', email: alice.email }, address: ADDRESS, category: '페스트푸드', target_number: 4, join_number: 1, is_compelete: false });
    expect(p.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+09:00$/);
    const room = await api.call('GET', `/api/chat/${p.chat_id}/`, alice.token);
    expect(room.statusCode).toBe(200);
    expect(body<{ messages: Array<{ message: string; user: unknown }> }>(room).messages).toEqual([expect.objectContaining({ message: 'alice 님이 입장했습니다.', user: null })]);
  });

  it('validation: lengths, blank, unknown category ("패스트푸드"), target 2..10, defaults to 치킨', async () => {
    const res = await api.call('POST', '/api/post/write/', alice.token, { title: 'x'.repeat(31), category: '패스트푸드', content: '  ', target_number: 11 });
    expect(res.statusCode).toBe(400);
    expect(fieldsOf(res)).toEqual({
      title: ['이 필드의 글자 수가 30 이하인지 확인하십시오.'],
      category: ['"패스트푸드"이 유효하지 않은 선택(choice)입니다.'],
      content: ['이 필드는 비워 둘 수 없습니다.'],
      target_number: ['이 값이 10보다 작거나 같은지 확인하십시오.'],
    });
    expect(fieldsOf(await api.call('POST', '/api/post/write/', alice.token, { title: 't', content: 'c', target_number: 1 }))).toEqual({ target_number: ['이 값이 2보다 크거나 같은지 확인하십시오.'] });
    const def = await api.call('POST', '/api/post/write/', alice.token, { title: 't', content: 'c', target_number: 2 });
    expect(body(def).category).toBe('치킨');
  });

  it('all 14 categories verbatim are accepted', async () => {
    expect(CATEGORIES).toHaveLength(14);
    for (const category of CATEGORIES) expect((await api.write(alice, { category })).id).toBeGreaterThan(0);
  });

  it('a long address (up to 200) is copied onto the post (the original failed above 30)', async () => {
    const long = await api.register('longaddr', `서울특별시 ${'가'.repeat(150)}`);
    expect((await api.write(long)).id).toBeGreaterThan(0);
  });
});

describe('list', () => {
  it('only posts at the viewer\'s exact address, newest first, category filter, unknown category → empty', async () => {
    const other = await api.register('other', '서울특별시 종로구 청운효자동');
    await api.write(alice, { title: 'first', category: '피자' });
    await api.write(alice, { title: 'second' });
    await api.write(other, { title: 'elsewhere' });
    const all = body<List>(await api.call('GET', '/api/post/', alice.token));
    expect(all.posts.map((p) => p.title)).toEqual(['second', 'first']);
    expect(all.paginator).toEqual({ page_range: [1], current_page: 1, prev_button: null, next_button: null });
    const pizza = body<List>(await api.call('GET', `/api/post/?category=${encodeURIComponent('피자')}`, alice.token));
    expect(pizza.posts.map((p) => p.title)).toEqual(['first']);
    expect(body<List>(await api.call('GET', '/api/post/?category=', alice.token)).posts).toHaveLength(2);
    expect(body<List>(await api.call('GET', `/api/post/?category=${encodeURIComponent('없는것')}`, alice.token)).posts).toEqual([]);
    expect(body<List>(await api.call('GET', '/api/post/', other.token)).posts.map((p) => p.title)).toEqual(['elsewhere']);
  });

  it('zero posts: the observed empty answer', async () => {
    expect(body(await api.call('GET', '/api/post/', alice.token))).toEqual({ posts: [], paginator: { page_range: [1], current_page: 1, prev_button: null, next_button: null } });
  });

  it('145 posts: the docs/apps/mealbuddy.md §5 table through HTTP, with clamping instead of 500s', async () => {
    await seed(145);
    const page = async (p: string) => body<List>(await api.call('GET', `/api/post/?page=${p}`, alice.token));
    const p7 = await page('7');
    expect(p7.paginator).toEqual({ page_range: [2, 3, 4, 5, 6, 7, 8, 9, 10, 11], current_page: 7, prev_button: 1, next_button: 15 });
    expect(p7.posts).toHaveLength(10);
    expect(p7.posts[0]!.title).toBe('p85');
    const last = await page('15');
    expect(last.posts).toHaveLength(5);
    expect(last.paginator).toMatchObject({ current_page: 15, prev_button: 5, next_button: null });
    expect((await page('0')).paginator.current_page).toBe(1);
    expect((await page('-3')).paginator.current_page).toBe(1);
    expect((await page('99')).paginator.current_page).toBe(15);
    expect((await page('abc')).paginator.current_page).toBe(1);
    expect((await page('1.5')).paginator.current_page).toBe(1);
  });

  it('staff may pass ?address=; others cannot look at another neighbourhood', async () => {
    await seed(3, '부산광역시 해운대구 우동');
    expect(body<List>(await api.call('GET', `/api/post/?address=${encodeURIComponent('부산광역시 해운대구 우동')}`, alice.token)).posts).toEqual([]);
    await t.container.core.db.execute(sql`update mealbuddy_users set is_staff = true where id = ${alice.id}`);
    expect(body<List>(await api.call('GET', `/api/post/?address=${encodeURIComponent('부산광역시 해운대구 우동')}`, alice.token)).posts).toHaveLength(3);
  });
});

describe('detail / edit / delete', () => {
  it('detail adds is_joined; 404 for a missing post', async () => {
    const bob = await api.register('bob');
    const p = await api.write(alice);
    const mine = body<Post>(await api.call('GET', `/api/post/detail/${p.id}/`, alice.token));
    expect(mine.is_joined).toBe(true);
    expect(body<Post>(await api.call('GET', `/api/post/detail/${p.id}/`, bob.token)).is_joined).toBe(false);
    const missing = await api.call('GET', '/api/post/detail/999999/', bob.token);
    expect(missing.statusCode).toBe(404);
    expect(body<{ error: { code: string } }>(missing).error.code).toBe('POST_NOT_FOUND');
  });

  it('edit: writer only; partial; complete and reopen; target below join refused; target == join completes', async () => {
    const bob = await api.register('bob');
    const p = await api.write(alice, { target_number: 4 });
    await api.join(bob, p.chat_id);
    const edit = (fields: unknown, token = alice.token) => api.call('POST', `/api/post/detail/${p.id}/edit/`, token, fields);
    expect((await edit({ title: 'hack' }, bob.token)).statusCode).toBe(403);
    const form = await api.form(`/api/post/detail/${p.id}/edit/`, { title: '바뀐 제목', join_number: 9 }, alice.token);
    expect(form.statusCode).toBe(200);
    expect(body(form)).toMatchObject({ title: '바뀐 제목', join_number: 2, is_joined: true });
    expect(body(await edit({ is_compelete: true }))).toMatchObject({ is_compelete: true });
    expect(body(await edit({ is_compelete: false }))).toMatchObject({ is_compelete: false });
    const below = await edit({ target_number: 1 });
    expect(below.statusCode).toBe(400);
    expect(fieldsOf(await edit({ target_number: 2 - 1 })).target_number).toBeDefined();
    expect(body(await edit({ target_number: 2 }))).toMatchObject({ target_number: 2, join_number: 2, is_compelete: true });
    expect((await api.call('GET', `/api/post/detail/${p.id}/edit/`, alice.token)).statusCode).toBe(200);
    expect((await api.call('GET', `/api/post/detail/${p.id}/edit/`, bob.token)).statusCode).toBe(403);
  });

  it('delete: writer only; 204 without a body; cascades to the room; GET → 405', async () => {
    const bob = await api.register('bob');
    const p = await api.write(alice);
    expect((await api.call('POST', `/api/post/detail/${p.id}/delete/`, bob.token)).statusCode).toBe(403);
    expect((await api.call('GET', `/api/post/detail/${p.id}/delete/`, alice.token)).statusCode).toBe(405);
    const res = await api.call('POST', `/api/post/detail/${p.id}/delete/`, alice.token);
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect((await api.call('GET', `/api/post/detail/${p.id}/`, alice.token)).statusCode).toBe(404);
    expect((await api.call('GET', `/api/chat/${p.chat_id}/`, alice.token)).statusCode).toBe(404);
    expect((await api.call('POST', `/api/post/detail/${p.id}/delete/`, alice.token)).statusCode).toBe(404);
  });
});

describe('OpenAPI', () => {
  it('documents every mealbuddy route', async () => {
    const res = await api.call('GET', '/openapi.json');
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(body<{ paths: Record<string, unknown> }>(res).paths);
    for (const p of ['/api/user/register/', '/api/post/', '/api/post/detail/{id}/edit/', '/api/chat/{id}/user/ban/', '/api/openAPI/weather/', '/api/openAPI/foodchoicer/']) {
      expect(paths).toContain(p);
    }
  });
});
