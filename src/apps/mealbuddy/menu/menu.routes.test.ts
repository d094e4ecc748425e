import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../test/harness.js';
import { body, mb, type MbUserRef } from '../../../../test/e2e/mealbuddy-helpers.js';
import { startFakeKma, type FakeKma } from '../../../../test/fakes/fake-kma.js';
import { startFakeLlm, type FakeLlm } from '../../../../test/fakes/fake-llm.js';
import { rowsOf } from '../../../core/db/client.js';
import { seoulParts } from '../mealbuddy.common.js';

let kma: FakeKma;
let llm: FakeLlm;
beforeAll(async () => {
  [kma, llm] = await Promise.all([startFakeKma(), startFakeLlm()]);
});
afterAll(async () => {
  await Promise.all([kma.close(), llm.close()]);
});

type Turn = { role: string; content: string };
const URL = '/api/openAPI/foodchoicer/';
const errorOf = (res: { body: string }) => body<{ error: { code: string; message: string } }>(res).error;

describe('with an OpenAI-compatible server (LLM_BASE_URL + LLM_API_KEY)', () => {
  let t: TestApp;
  let api: ReturnType<typeof mb>;
  let user: MbUserRef;
  beforeEach(async () => {
    llm.fail = false;
    llm.requests.length = 0;
    kma.mode = 'ok';
    t = await buildTestApp({
      apps: ['mealbuddy'],
      env: { LLM_BASE_URL: llm.url, LLM_API_KEY: 'sk-test', LLM_MODEL: 'test-model', WEATHER_PROVIDER: 'kma', KMA_SERVICE_KEY: 'k', KMA_BASE_URL: kma.url },
    });
    api = mb(t.app);
    user = await api.register('eater');
  });

  it('POST: prompt with weather and time, reply stripped, only user/assistant turns returned; GET history; DELETE clears', async () => {
    expect((await api.call('GET', URL, user.token)).statusCode).toBe(404);
    const res = await api.form(URL, { lat: '37.5665', lon: '126.978', message: '매운 거' }, user.token);
    expect(res.statusCode).toBe(200);
    expect(body<Turn[]>(res)).toEqual([
      { role: 'user', content: '매운 거' },
      { role: 'assistant', content: '1. 짬뽕\n2. 칼국수\n3. 김치찌개\n4. 우동\n5. 쌀국수' },
    ]);
    const sent = llm.requests[0]!;
    expect(sent.authorization).toBe('Bearer sk-test');
    expect(sent.body).toMatchObject({ model: 'test-model', temperature: 0.8, max_tokens: 1024 });
    expect(sent.body.messages.map((m) => m.role)).toEqual(['system', 'system', 'user']);
    expect(sent.body.messages[0]!.content).toContain('5개');
    expect(sent.body.messages[1]!.content).toMatch(/^오늘은 .*오늘의 날씨는 다음과 같아\. 기온은\(는\) 21℃\. /);
    await api.call('POST', URL, user.token, { message: '국물 말고' });
    expect(llm.requests[1]!.body.messages.map((m) => m.role)).toEqual(['system', 'system', 'user', 'assistant', 'user']);
    expect(body<Turn[]>(await api.call('GET', URL, user.token))).toHaveLength(4);
    const cleared = await api.call('DELETE', URL, user.token);
    expect(cleared.statusCode).toBe(200);
    expect(body(cleared)).toBe('대화내역이 초기화 되었습니다.');
    expect((await api.call('GET', URL, user.token)).statusCode).toBe(404);
  });

  it('model failure → 502 with the Korean message, nothing stored, the question given back', async () => {
    llm.fail = true;
    const res = await api.call('POST', URL, user.token, { message: '아무거나' });
    expect(res.statusCode).toBe(502);
    expect(errorOf(res)).toEqual({ code: 'MENU_UPSTREAM_ERROR', message: '예기치 않은 오류가 발생했습니다.' });
    expect((await api.call('GET', URL, user.token)).statusCode).toBe(404);
    const [row] = rowsOf<{ count: number }>(await t.container.core.db.execute(sql`select count from mealbuddy_menu_usage where user_id = ${user.id}`));
    expect(row!.count).toBe(0);
  });

  it('a broken weather service does not stop the recommendation', async () => {
    kma.mode = 'http500';
    const res = await api.call('POST', URL, user.token, { lat: 37.5, lon: 127, message: '점심' });
    expect(res.statusCode).toBe(200);
    expect(llm.requests.at(-1)!.body.messages[1]!.content).toContain('날씨 정보는 없어');
  });
});

describe('built-in recommender (no LLM configured)', () => {
  let t: TestApp;
  let api: ReturnType<typeof mb>;
  let user: MbUserRef;
  beforeEach(async () => {
    t = await buildTestApp({ apps: ['mealbuddy'] });
    api = mb(t.app);
    user = await api.register('offline');
  });

  it('POST answers five menus with reasons, using what the neighbourhood orders', async () => {
    for (let i = 0; i < 3; i++) await api.write(user, { category: '족발,보쌈' });
    const res = await api.call('POST', URL, user.token, { message: '든든한 거' });
    expect(res.statusCode).toBe(200);
    const turns = body<Turn[]>(res);
    expect(turns.map((x) => x.role)).toEqual(['user', 'assistant']);
    const lines = turns[1]!.content.split('\n');
    expect(lines.filter((l) => /^\d\. /.test(l))).toHaveLength(5);
    expect(turns[1]!.content).toContain('족발');
  });

  it('honours the conversation: what was ruled out in an earlier turn stays out of the next answer', async () => {
    await api.call('POST', URL, user.token, { message: '어제 치킨 먹었어요' });
    const turns = body<Turn[]>(await api.call('POST', URL, user.token, { message: '가벼운 거' }));
    const answer = turns.at(-1)!.content;
    expect(answer.split('\n')[0]).toContain('치킨은 빼고');
    expect(answer).not.toMatch(/^\d\. .*치킨/m);
    expect(answer.split('\n').filter((l) => /^\d\. /.test(l))).toHaveLength(5);
  });

  it('GET ?lat=&lon= (the older front end) answers a plain string', async () => {
    const res = await api.call('GET', `${URL}?lat=37.5665&lon=126.978`, user.token);
    expect(res.statusCode).toBe(200);
    expect(typeof body<unknown>(res)).toBe('string');
    expect(body<string>(res)).toContain('1. ');
  });

  it('validation: message required, at most 500 characters; coordinates inside Korea; auth required', async () => {
    expect((await api.call('POST', URL, user.token, {})).statusCode).toBe(400);
    expect((await api.call('POST', URL, user.token, { message: '   ' })).statusCode).toBe(400);
    expect((await api.call('POST', URL, user.token, { message: 'x'.repeat(501) })).statusCode).toBe(400);
    expect((await api.call('POST', URL, user.token, { message: 'hi', lat: 0, lon: 0 })).statusCode).toBe(400);
    for (const m of ['GET', 'POST', 'DELETE']) expect((await api.call(m, URL, undefined, m === 'POST' ? { message: 'hi' } : undefined)).statusCode).toBe(401);
  });

  it('throttle: 10 a day per user (429 with Retry-After to Seoul midnight); yesterday\'s count does not matter', async () => {
    const other = await api.register('other');
    const yesterday = seoulParts(new Date(Date.now() - 86_400_000)).date;
    await t.container.core.db.execute(sql`insert into mealbuddy_menu_usage (user_id, day, count) values (${user.id}, ${yesterday}, 10)`);
    const results = await Promise.all(Array.from({ length: 12 }, () => api.call('POST', URL, user.token, { message: '추천' })));
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(10);
    const limited = results.filter((r) => r.statusCode === 429);
    expect(limited).toHaveLength(2);
    expect(errorOf(limited[0]!).message).toBe('하루에 10번만 질문할 수 있습니다.');
    const retry = Number(limited[0]!.headers['retry-after']);
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(86_400);
    expect((await api.call('POST', URL, other.token, { message: '추천' })).statusCode).toBe(200);
    expect((await api.call('DELETE', URL, user.token)).statusCode).toBe(200);
    expect((await api.call('POST', URL, user.token, { message: '추천' })).statusCode).toBe(429);
  });
});
