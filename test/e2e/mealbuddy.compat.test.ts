// docs/apps/mealbuddy.md §10 (what the original front end reads), field by field, and the authorization of every
// object route for an anonymous caller, a non-member and a non-writer (§11.1, §11.8, §11.9).
import { beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../harness.js';
import { ADDRESS, body, mb, PASSWORD, type MbUserRef } from './mealbuddy-helpers.js';

let t: TestApp;
let api: ReturnType<typeof mb>;
let writer: MbUserRef;
let member: MbUserRef;
let stranger: MbUserRef;
let post: { id: number; chat_id: number };
beforeEach(async () => {
  t = await buildTestApp({ apps: ['mealbuddy'] });
  api = mb(t.app);
  writer = await api.register('writer');
  member = await api.register('member');
  stranger = await api.register('stranger', '서울특별시 마포구 서교동');
  post = await api.write(writer, { target_number: 4 });
  await api.join(member, post.chat_id);
});

const isInt = (v: unknown) => typeof v === 'number' && Number.isInteger(v);

describe('§10 compatibility checklist', () => {
  it('login/register: data.user.token, .address, .username, .id; `token <jwt>` (lower case) works', async () => {
    for (const res of [
      await api.form('/api/user/register/', { email: 'new@example.com', username: 'newbie', password: PASSWORD, password2: PASSWORD, address: ADDRESS }),
      await api.form('/api/user/login/', { email: 'new@example.com', password: PASSWORD }),
    ]) {
      const u = body<{ user: Record<string, unknown> }>(res).user;
      expect(typeof u.token).toBe('string');
      expect(u.address).toBe(ADDRESS);
      expect(u.username).toBe('newbie');
      expect(isInt(u.id)).toBe(true);
      expect((await api.call('GET', '/api/user/current/', String(u.token))).statusCode).toBe(200);
    }
  });

  it('GET /user/current/ on every load gives a replacement data.user.token', async () => {
    const u = body<{ user: { token: string } }>(await api.call('GET', '/api/user/current/', writer.token)).user;
    expect(u.token).not.toBe(writer.token);
    expect((await api.call('GET', '/api/user/current/', u.token)).statusCode).toBe(200);
  });

  it('register page: errors.email / username / password / password2 are arrays; mismatch is keyed password', async () => {
    const empty = body<{ errors: Record<string, unknown> }>(await api.call('POST', '/api/user/register/', undefined, {}));
    for (const f of ['email', 'username', 'password', 'password2']) expect(Array.isArray(empty.errors[f])).toBe(true);
    const mismatch = body<{ errors: Record<string, unknown> }>(
      await api.call('POST', '/api/user/register/', undefined, { email: 'x@example.com', username: 'x', password: PASSWORD, password2: `${PASSWORD}!`, address: ADDRESS }),
    );
    expect(mismatch.errors).toEqual({ password: ['비밀번호가 서로 다릅니다.'] });
  });

  it('profile update: the unwrapped response is the user object (with token)', async () => {
    const u = body(await api.form('/api/user/update/', { username: 'writer2' }, writer.token));
    expect(Object.keys(u).sort()).toEqual(['address', 'email', 'id', 'token', 'username']);
  });

  it('password change: new_password1[] and the current-password error are arrays of strings', async () => {
    const res = await api.form('/api/user/changepassword/', { current_password: 'nope-nope-nope', new_password1: 'fresh-pass-1', new_password2: 'fresh-pass-2' }, writer.token);
    expect(res.statusCode).toBe(400);
    expect(body(res)).toEqual({ new_password1: ['패스워드가 서로 다릅니다.'] });
  });

  it('post list: id, title, category, writer.username, created_at, join_number, target_number, is_compelete; paginator.*', async () => {
    const list = body<{ posts: Array<Record<string, unknown> & { writer: { username: string } }>; paginator: Record<string, unknown> }>(await api.call('GET', '/api/post/?category=&page=1', member.token));
    const p = list.posts[0]!;
    expect(isInt(p.id)).toBe(true);
    expect(p.title).toBe('치킨먹으실분');
    expect(p.category).toBe('치킨');
    expect(p.writer.username).toBe('writer');
    expect(p.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+09:00$/);
    expect(p.join_number).toBe(2);
    expect(p.target_number).toBe(4);
    expect(p.is_compelete).toBe(false);
    expect(list.paginator).toEqual({ page_range: [1], current_page: 1, prev_button: null, next_button: null });
  });

  it('detail: writer.id, writer.username, is_joined, is_compelete, join_number, target_number, chat_id, content, category, created_at', async () => {
    const d = body<Record<string, unknown> & { writer: { id: number; username: string } }>(await api.call('GET', `/api/post/detail/${post.id}/`, member.token));
    expect(d.writer).toMatchObject({ id: writer.id, username: 'writer' });
    expect(d).toMatchObject({ is_joined: true, is_compelete: false, join_number: 2, target_number: 4, chat_id: post.chat_id, content: '치킨이 먹고싶네요', category: '치킨' });
    expect(typeof d.created_at).toBe('string');
    // "참여하기": join when !is_compelete && join < target
    const newcomer = await api.register('newcomer');
    const nd = body<{ is_joined: boolean; is_compelete: boolean; join_number: number; target_number: number }>(await api.call('GET', `/api/post/detail/${post.id}/`, newcomer.token));
    expect(nd.is_joined).toBe(false);
    expect(!nd.is_compelete && nd.join_number < nd.target_number).toBe(true);
    expect((await api.join(newcomer, post.chat_id)).statusCode).toBe(200);
  });

  it('the edit link without the trailing slash still answers (the front end relied on a 301)', async () => {
    expect((await api.call('GET', `/api/post/detail/${post.id}/edit`, writer.token)).statusCode).toBe(200);
  });

  it('chat page: title, join_number, target_number, writer.id, messages[].message, messages[].user?.id/username', async () => {
    await api.call('POST', `/api/post/detail/${post.id}/edit/`, writer.token, { title: '방 제목' });
    const room = body<{ title: string; join_number: number; target_number: number; writer: { id: number }; messages: Array<{ message: string; user: { id: number; username: string } | null }> }>(
      await api.call('GET', `/api/chat/${post.chat_id}/`, member.token),
    );
    expect(room).toMatchObject({ title: '방 제목', join_number: 2, target_number: 4, writer: { id: writer.id } });
    expect(room.messages.map((m) => [m.message, m.user?.id, m.user?.username])).toEqual([
      ['writer 님이 입장했습니다.', undefined, undefined],
      ['member 님이 입장했습니다.', undefined, undefined],
    ]);
  });

  it('members: [].user.id, [].user.username; ban is a form post of target_user_id; leave is DELETE', async () => {
    const users = body<Array<{ user: { id: number; username: string } }>>(await api.call('GET', `/api/chat/${post.chat_id}/user/`, member.token));
    expect(users.map((u) => [u.user.id, u.user.username])).toEqual([[writer.id, 'writer'], [member.id, 'member']]);
    expect((await api.form(`/api/chat/${post.chat_id}/user/ban/`, { target_user_id: String(member.id) }, writer.token)).statusCode).toBe(200);
    const other = await api.register('other');
    await api.join(other, post.chat_id);
    expect((await api.call('DELETE', `/api/chat/${post.chat_id}/user/`, other.token)).statusCode).toBe(200);
  });

  it('write and edit forms: multipart title, category, target_number, content', async () => {
    const created = await api.form('/api/post/write/', { title: '피자', category: '피자', target_number: '2', content: '반반' }, writer.token);
    expect(created.statusCode).toBe(201);
    const id = body<{ id: number }>(created).id;
    const edited = await api.form(`/api/post/detail/${id}/edit/`, { title: '피자2', category: '양식', target_number: '3', content: '반반반' }, writer.token);
    expect(body(edited)).toMatchObject({ title: '피자2', category: '양식', target_number: 3, content: '반반반' });
  });
});

describe('authorization of every route', () => {
  const routes = (id: number, chat: number): Array<[string, string, unknown?]> => [
    ['GET', '/api/post/'],
    ['POST', '/api/post/write/', { title: 't', content: 'c', target_number: 2 }],
    ['GET', `/api/post/detail/${id}/`],
    ['GET', `/api/post/detail/${id}/edit/`],
    ['POST', `/api/post/detail/${id}/edit/`, { title: 'x' }],
    ['POST', `/api/post/detail/${id}/delete/`],
    ['GET', `/api/chat/${chat}/`],
    ['POST', `/api/chat/${chat}/`],
    ['DELETE', `/api/chat/${chat}/`],
    ['GET', `/api/chat/${chat}/user/`],
    ['DELETE', `/api/chat/${chat}/user/`],
    ['POST', `/api/chat/${chat}/user/ban/`, { target_user_id: 1 }],
    ['GET', '/api/user/current/'],
    ['POST', '/api/user/update/', { username: 'x' }],
    ['POST', '/api/user/changepassword/', { current_password: 'a', new_password1: 'b', new_password2: 'c' }],
    ['POST', '/api/user/delete/', { password: 'x' }],
    ['GET', '/api/openAPI/weather/?lat=37.5&lon=127'],
    ['GET', '/api/openAPI/foodchoicer/'],
    ['POST', '/api/openAPI/foodchoicer/', { message: 'x' }],
    ['DELETE', '/api/openAPI/foodchoicer/'],
  ];

  it('anonymous → 401 everywhere but register and login (the original let anyone delete posts)', async () => {
    for (const [method, url, payload] of routes(post.id, post.chat_id)) {
      const res = await api.call(method, url, undefined, payload);
      expect(res.statusCode, `${method} ${url}`).toBe(401);
      // the join keeps the original's bare string (the front end alerts it); the rest the envelope
      if (method === 'POST' && url === `/api/chat/${post.chat_id}/`) expect(body(res)).toBe('토큰이 없습니다.');
      else expect(body<{ error: { code: string } }>(res).error.code).toBe('TOKEN_NOT_FOUND');
    }
    expect((await api.call('GET', `/api/post/detail/${post.id}/`)).statusCode).toBe(401);
  });

  it('non-writer member → 403 on the writer\'s routes; non-member → 403 on member routes; other neighbourhood → 403', async () => {
    const asMember: Array<[string, string, unknown?]> = [
      ['GET', `/api/post/detail/${post.id}/edit/`],
      ['POST', `/api/post/detail/${post.id}/edit/`, { is_compelete: true }],
      ['POST', `/api/post/detail/${post.id}/delete/`],
      ['DELETE', `/api/chat/${post.chat_id}/`],
      ['POST', `/api/chat/${post.chat_id}/user/ban/`, { target_user_id: writer.id }],
    ];
    for (const [method, url, payload] of asMember) expect((await api.call(method, url, member.token, payload)).statusCode, `${method} ${url}`).toBe(403);
    const neighbour = await api.register('neighbour');
    for (const [method, url] of [['GET', `/api/chat/${post.chat_id}/`], ['GET', `/api/chat/${post.chat_id}/user/`], ['DELETE', `/api/chat/${post.chat_id}/user/`]] as const) {
      expect((await api.call(method, url, neighbour.token)).statusCode, `${method} ${url}`).toBe(403);
    }
    expect((await api.call('GET', `/api/post/detail/${post.id}/`, stranger.token)).statusCode).toBe(403);
    // and nothing changed
    expect(body(await api.call('GET', `/api/post/detail/${post.id}/`, writer.token))).toMatchObject({ title: '치킨먹으실분', is_compelete: false, join_number: 2 });
  });
});
