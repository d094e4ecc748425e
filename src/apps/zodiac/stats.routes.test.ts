import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { rowsOf } from '../../core/db/client.js';
import { syntheticFace } from '../../../test/fixtures/images.js';
import { poll, uploadOk, zodiacUser, type ZUser } from '../../../test/fixtures/zodiac.js';
import { FakeAnalyzer } from '../../../test/fakes/fake-analyzer.js';
import { buildTestApp, json, type TestApp } from '../../../test/harness.js';
import { ANIMALS } from './animals.js';
import { earnedChallenges } from './challenges.js';
import { addDays, seoulDateOf, seoulMidnight } from './time.js';

let t: TestApp;
let me: ZUser;
beforeEach(async () => {
  // statistics and challenges need analyses, not the model: the scripted analyzer finds one face
  t = await buildTestApp({ apps: ['zodiac'], analyzer: new FakeAnalyzer() });
  me = await zodiacUser(t, '나나');
});

const db = () => t.container.core.db;
const get = async <T = unknown>(url: string, user: ZUser = me) => {
  const res = await t.app.inject({ url, headers: user.auth });
  return { status: res.statusCode, body: res.body ? (json(res) as T) : (undefined as T) };
};

/** one analysed photo with its top 3 (animal ids), stored as the worker would, at `at` */
async function analysed(user: ZUser, at: Date, top: [number, number, number], sims: [number, number, number] = [60, 25, 10]) {
  const [u] = rowsOf<{ id: number }>(await db().execute(sql`select id from zodiac_users where uuid = ${user.uuid}`));
  const [p] = rowsOf<{ id: number }>(
    await db().execute(sql`insert into zodiac_pictures (user_id, original_key, thumbnail_key, mime, width, height, created_at)
      values (${u!.id}, 'zodiac/x.jpg', 'zodiac/x.jpg', 'image/jpeg', 10, 10, ${at.toISOString()}::timestamptz) returning id`),
  );
  await db().execute(sql`insert into zodiac_tasks (user_id, picture_id, status, created_at, finished_at)
    values (${u!.id}, ${p!.id}, 'done', ${at.toISOString()}::timestamptz, ${at.toISOString()}::timestamptz)`);
  for (let i = 0; i < 3; i++) {
    await db().execute(sql`insert into zodiac_results (user_id, picture_id, animal_id, rank, similarity, created_at)
      values (${u!.id}, ${p!.id}, ${top[i]!}, ${i + 1}, ${sims[i]!}, ${at.toISOString()}::timestamptz)`);
  }
  return p!.id;
}

describe('statistics windows in Asia/Seoul', () => {
  it('a period is whole Seoul days: 23:59:59 KST counts for that day, 00:00 KST for the next', async () => {
    await analysed(me, new Date('2026-03-01T14:59:59Z'), [3, 1, 2]); // 1 March 23:59:59 KST: tiger
    await analysed(me, new Date('2026-03-01T15:00:00Z'), [12, 1, 2]); // 2 March 00:00:00 KST: pig
    await analysed(me, new Date('2026-02-28T14:59:59Z'), [7, 1, 2]); // 28 Feb 23:59:59 KST: horse
    const base = `/api/trash/users/${me.uuid}/statistics`;
    expect((await get(`${base}/period/2026-03-01/2026-03-01`)).body).toEqual([{ kind: 'tiger', name_ko: '호랑이띠', cnt: 1 }]);
    expect((await get(`${base}/period/2026-03-02/2026-03-02`)).body).toEqual([{ kind: 'pig', name_ko: '돼지띠', cnt: 1 }]);
    expect(((await get<Array<{ kind: string }>>(`${base}/period/2026-02-28/2026-03-02`)).body).map((r) => r.kind)).toEqual(['tiger', 'horse', 'pig']);
    expect((await get(`/api/users/${me.uuid}/statistics/period/2026-03-03/2026-03-09`)).body).toEqual([]);
    // overall: counts only top-1 rows, cnt desc then zodiac order
    await analysed(me, new Date('2026-04-01T00:00:00Z'), [12, 3, 1]);
    expect((await get(base)).body).toEqual([
      { kind: 'pig', name_ko: '돼지띠', cnt: 2 },
      { kind: 'tiger', name_ko: '호랑이띠', cnt: 1 },
      { kind: 'horse', name_ko: '말띠', cnt: 1 },
    ]);
  });

  it('bad dates are 400 (the original answered 204)', async () => {
    const base = `/api/trash/users/${me.uuid}/statistics/period`;
    for (const [from, to, code] of [
      ['2026-02-30', '2026-03-01', 'INVALID_DATE'],
      ['yesterday', '2026-03-01', 'INVALID_DATE'],
      ['2026-03-05', '2026-03-01', 'INVALID_PERIOD'],
    ]) {
      const r = await t.app.inject({ url: `${base}/${from}/${to}`, headers: me.auth });
      expect(r.statusCode).toBe(400);
      expect(json(r).error).toMatchObject({ code });
    }
  });

  it('leaderboard: last 7 Seoul days, top-1 rows only, best per user, 1-based rank, ties by the earlier row', async () => {
    const other = await zodiacUser(t, '너너');
    const third = await zodiacUser(t, '그녀');
    const today = seoulDateOf(new Date());
    const firstDay = seoulMidnight(addDays(today, -6));
    await analysed(me, new Date(firstDay.getTime() + 1000), [3, 1, 2], [80, 15, 5]);
    await analysed(me, new Date(firstDay.getTime() + 2000), [5, 1, 2], [90, 9, 1]); // my best
    await analysed(other, new Date(firstDay.getTime() + 3000), [12, 1, 2], [90, 9, 1]); // tie, later
    await analysed(other, new Date(firstDay.getTime() - 1000), [1, 2, 3], [99, 1, 0]); // 1 s before the window
    await analysed(third, new Date(firstDay.getTime() + 4000), [9, 3, 2], [40, 39.9, 20]); // a 39.9 rank-2 row never counts
    const { status, body } = await get<Array<Record<string, unknown>>>('/api/v1/animals/rank');
    expect(status).toBe(200);
    // rank from 0 as the original (its front end shows rank + 1), place from 1
    expect(body.map((r) => [r.rank, r.place, r.alias, r.name, r.similarity])).toEqual([
      [0, 1, '나나', 'dragon', 90],
      [1, 2, '너너', 'pig', 90],
      [2, 3, '그녀', 'monkey', 40],
    ]);
    const pop = await get<Array<{ kind: string; cnt: number }>>('/api/statistics/ranking');
    expect(pop.body).toEqual([
      { kind: 'tiger', name_ko: '호랑이띠', cnt: 1 },
      { kind: 'dragon', name_ko: '용띠', cnt: 1 },
      { kind: 'monkey', name_ko: '원숭이띠', cnt: 1 },
      { kind: 'pig', name_ko: '돼지띠', cnt: 1 },
    ]);
  });
});

describe('history and mypage', () => {
  it('10 per page, newest first, each with its top 3; past the end is []; a bad page is 400', async () => {
    const start = Date.parse('2026-01-01T00:00:00Z');
    for (let i = 0; i < 12; i++) await analysed(me, new Date(start + i * 60_000), [(i % 12) + 1, ((i + 1) % 12) + 1, ((i + 2) % 12) + 1]);
    const p1 = await get<Array<{ created_at: string; results: Array<{ rank: number; name: string }> }>>(`/api/users/${me.uuid}/pages/1`);
    expect(p1.body).toHaveLength(10);
    expect(p1.body[0]!.created_at).toBe(new Date(start + 11 * 60_000).toISOString());
    expect(p1.body[0]!.results.map((r) => [r.rank, r.name])).toEqual([[1, 'pig'], [2, 'mouse'], [3, 'cow']]);
    const p2 = await get<unknown[]>(`/api/users/${me.uuid}/pages/2`);
    expect(p2.body).toHaveLength(2);
    expect((await get(`/api/users/${me.uuid}/pages/3`)).body).toEqual([]);
    for (const bad of ['0', 'abc', '-1']) expect((await get(`/api/users/${me.uuid}/pages/${bad}`)).status).toBe(400);
    const mp = await get<Array<{ rank: number; picture_id: { user_id: string }; great_id: { name: string } }>>(`/api/v1/animals/user/${me.uuid}/mypage`);
    expect(mp.body).toHaveLength(36);
    expect(mp.body[0]).toMatchObject({ rank: 1, picture_id: { user_id: me.uuid }, great_id: { name: 'mouse' } });
  });
});

describe('challenges', () => {
  it('thresholds 1/3/5/7/10 are granted at ≥ (a missed grant is repaired), and "all 12" when every animal was met', () => {
    expect(earnedChallenges(0, 0)).toEqual([]);
    expect(earnedChallenges(1, 1)).toEqual([1]);
    expect(earnedChallenges(4, 2)).toEqual([1, 2]);
    expect(earnedChallenges(10, 11)).toEqual([1, 2, 3, 4, 5]);
    expect(earnedChallenges(12, 12)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('real analyses grant them, each reported once by the analysis that earned it', async () => {
    const first = await uploadOk(t, me, await syntheticFace());
    await t.container.core.queue.drain();
    expect((await poll(t, me, first.task_id)).body).toMatchObject({ challenge_id: 1, challenge_content: '첫 번째 운세 확인!' });
    // add 11 earlier photos whose top-1 animals are the 11 the drawn face is not
    const top = ((await poll(t, me, first.task_id)).body.ranking as Array<{ name: string }>)[0]!.name;
    const ids = [...Array(12).keys()].map((i) => i + 1);
    const topId = ANIMALS.find((a) => a.name === top)!.id;
    for (const id of ids.filter((i) => i !== topId)) await analysed(me, new Date(Date.now() - id * 1000), [id, topId, id === 1 ? 2 : 1]);
    const second = await uploadOk(t, me, await syntheticFace('png'));
    await t.container.core.queue.drain();
    // 13 analysed photos, 12 animals met: 2..6 granted at once, the highest reported
    expect((await poll(t, me, second.task_id)).body).toMatchObject({ challenge_id: 6, challenge_content: '십이지신 모두 만나기' });
    const mine = await get<Array<{ challenge_id: number }>>(`/api/users/${me.uuid}/challenges`);
    expect(mine.body.map((c) => c.challenge_id)).toEqual([1, 2, 3, 4, 5, 6]);
    const third = await uploadOk(t, me, await syntheticFace('webp'));
    await t.container.core.queue.drain();
    expect((await poll(t, me, third.task_id)).body).toMatchObject({ challenge_id: 'NONE', challenge_content: 'NONE' });
  });
});
