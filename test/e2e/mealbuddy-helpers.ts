// Shared by the mealbuddy tests: register users, call the API with `Token <t>` as the original
// front end does, send multipart forms like the browser's FormData.
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { multipart } from '../multipart.js';

export const ADDRESS = '제주특별자치도 제주시 용담이동';
export const PASSWORD = 'correct-horse-battery';

export interface MbUserRef {
  id: number;
  token: string;
  username: string;
  email: string;
}

export function mb(app: FastifyInstance) {
  const call = (method: string, url: string, token?: string, payload?: unknown, headers: Record<string, string> = {}) =>
    app.inject({
      method: method as 'GET',
      url,
      headers: { ...(token ? { authorization: `token ${token}` } : {}), ...headers },
      ...(payload !== undefined ? { payload: payload as never } : {}),
    });
  const form = (url: string, fields: Record<string, string | number>, token?: string) => {
    const body = multipart(fields);
    return app.inject({ method: 'POST', url, payload: body.payload, headers: { ...body.headers, ...(token ? { authorization: `token ${token}` } : {}) } });
  };
  let n = 0;
  async function register(username = `user${++n}`, address = ADDRESS, extra: Record<string, unknown> = {}): Promise<MbUserRef> {
    const email = `${username}@example.com`;
    const res = await call('POST', '/api/user/register/', undefined, { email, username, password: PASSWORD, password2: PASSWORD, address, ...extra });
    expect(res.statusCode, res.body).toBe(201);
    const u = (JSON.parse(res.body) as { user: { id: number; token: string } }).user;
    return { id: u.id, token: u.token, username, email };
  }
  async function write(user: MbUserRef, fields: Record<string, string | number> = {}) {
    const res = await form('/api/post/write/', { title: '치킨먹으실분', category: '치킨', content: '치킨이 먹고싶네요', target_number: 3, ...fields }, user.token);
    expect(res.statusCode, res.body).toBe(201);
    return JSON.parse(res.body) as { id: number; chat_id: number; join_number: number; is_compelete: boolean; target_number: number };
  }
  async function join(user: MbUserRef, chatId: number) {
    return call('POST', `/api/chat/${chatId}/`, user.token);
  }
  return { call, form, register, write, join };
}

export function body<T = Record<string, unknown>>(res: { body: string }): T {
  return JSON.parse(res.body) as T;
}
