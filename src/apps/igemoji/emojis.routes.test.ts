// Templates: built-ins with credit, creation rules and bad uploads, pages, pictures, creator-only
// delete, and the weekly ranking (calendar days in Asia/Seoul, ties by id).
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, json, type TestApp } from '../../../test/harness.js';
import {
  colourPictures,
  createTemplate,
  elevenMegabytes,
  hundredMegapixelHeader,
  multipart,
  pictureFields,
  signupLogin,
  type User,
} from '../../../test/fixtures/igemoji/helpers.js';
import { igemojiEmojis } from './igemoji.table.js';

let t: TestApp;
let pictures: Buffer[];
beforeAll(async () => {
  pictures = await colourPictures();
});
beforeEach(async () => {
  await t?.close();
  t = await buildTestApp({ apps: ['igemoji'], workers: false });
});
afterAll(() => t?.close());

type Emoji = { id: number; name: string; alias: string; image: string[]; builtin: boolean; credit: string | null; total: number; count: number };
type Err = { error: { code: string; fields?: Record<string, string[]> } };

const createRaw = (user: User, fields: Record<string, Buffer | string>, mime = 'image/jpeg') => {
  const mp = multipart(fields, mime);
  return t.app.inject({ method: 'POST', url: '/api/v1/emojis/', payload: mp.payload, headers: { ...mp.headers, ...user.auth } });
};

describe('built-in templates', () => {
  it('ships three Twemoji sets with credit, whose pictures are PNGs with alpha', async () => {
    const page = json<Emoji[]>(await t.app.inject({ url: '/api/v1/emojis/pages/1' }));
    const builtins = page.filter((e) => e.builtin);
    expect(builtins.map((e) => e.name).sort()).toEqual(['고양이', '과장된 얼굴', '기본 얼굴']);
    for (const e of builtins) {
      expect(e.alias).toBe('Twemoji');
      expect(e.credit).toMatch(/Twemoji.*CC-BY 4\.0/);
      expect(e.image).toHaveLength(7);
    }
    const pic = await t.app.inject({ url: builtins[0]!.image[4]! });
    expect(pic.statusCode).toBe(200);
    expect(pic.headers['content-type']).toBe('image/png');
    const meta = await sharp(pic.rawPayload).metadata();
    expect(meta).toMatchObject({ width: 512, height: 512, hasAlpha: true });
    expect((await t.app.inject({ url: `/api/v1/emojis/${builtins[0]!.id}/images/joy.png` })).statusCode).toBe(404);
  });
});

describe('creating templates', () => {
  it('needs a token, a name and all 7 pictures; the client user_id must be the token user', async () => {
    const u = await signupLogin(t, 'maker');
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/emojis/', payload: { name: 'x' } })).statusCode).toBe(401);
    const six = await createRaw(u, { name: '여섯', ...pictureFields(pictures.slice(0, 6)) });
    expect(six.statusCode).toBe(400);
    expect(json<Err>(six).error).toMatchObject({ code: 'TEMPLATE_IMAGES_REQUIRED', fields: { image6: ['이 필드는 필수 항목입니다.'] } });
    const noName = await createRaw(u, pictureFields(pictures));
    expect(json<Err>(noName).error.fields).toHaveProperty('name');
    const json7 = await t.app.inject({ method: 'POST', url: '/api/v1/emojis/', payload: { name: 'json' }, headers: u.auth });
    expect(json7.statusCode).toBe(400);
    const other = await createRaw(u, { name: 'n', user_id: String(u.id + 1), ...pictureFields(pictures) });
    expect(other.statusCode).toBe(403);
    const ok = await createRaw(u, { name: '내 이모지', user_id: String(u.id), ...pictureFields(pictures) });
    expect(ok.statusCode, ok.body).toBe(201);
    const created = json<Emoji>(ok);
    expect(created).toMatchObject({ name: '내 이모지', alias: 'maker', builtin: false, credit: null });
    expect(created.image[1]).toMatch(new RegExp(`/api/v1/emojis/${created.id}/images/angry\\.png$`));
    // the opaque JPEG became a PNG with a soft elliptical mask
    const angry = await t.app.inject({ url: created.image[1]! });
    const { data, info } = await sharp(angry.rawPayload).raw().toBuffer({ resolveWithObject: true });
    expect(info.channels).toBe(4);
    expect(data[3]).toBe(0);
    const centre = (Math.floor(info.height / 2) * info.width + Math.floor(info.width / 2)) * 4;
    const [r, g, b, a] = Array.from(data.subarray(centre, centre + 4));
    expect([r! > 240, g! < 15, b! < 15, a]).toEqual([true, true, true, 255]);
    const detail = await t.app.inject({ url: `/api/v1/emojis/${created.id}` });
    expect(detail.statusCode).toBe(200);
    expect(json(detail)).toMatchObject({ id: created.id, name: '내 이모지' });
    expect((await t.app.inject({ url: '/api/v1/emojis/999999' })).statusCode).toBe(404);
  });

  it('refuses a wrong type (415), 11 MB (413) and 100 MP (422) before storing anything', async () => {
    const u = await signupLogin(t, 'bad');
    const text = await createRaw(u, { name: 'n', ...pictureFields([Buffer.from('hello, not an image'), ...pictures.slice(1)]) }, 'text/plain');
    expect(text.statusCode).toBe(415);
    expect(json<Err>(text).error.code).toBe('UNSUPPORTED_IMAGE_TYPE');
    const big = await createRaw(u, { name: 'n', ...pictureFields([elevenMegabytes(), ...pictures.slice(1)]) });
    expect(big.statusCode).toBe(413);
    const huge = await createRaw(u, { name: 'n', ...pictureFields([await hundredMegapixelHeader(), ...pictures.slice(1)]) }, 'image/png');
    expect(huge.statusCode).toBe(422);
    expect(json<Err>(huge).error.code).toBe('IMAGE_TOO_MANY_PIXELS');
    const [c] = await t.container.core.db.select({ n: sql<number>`count(*)::int` }).from(igemojiEmojis).where(sql`user_id is not null`);
    expect(c!.n).toBe(0);
  });
});

describe('pages and deletion', () => {
  it('pages 8 newest first with the total on every entry; past the end is []', async () => {
    const u = await signupLogin(t, 'pager');
    const base = Date.now();
    await t.container.core.db.insert(igemojiEmojis).values(
      Array.from({ length: 6 }, (_, i) => ({ userId: u.id, name: `t${i}`, images: Array(7).fill('twemoji:1f610'), createdAt: new Date(base + (i + 1) * 1000) })),
    );
    const p1 = await t.app.inject({ url: '/api/v1/emojis/pages/1' });
    const first = json<Emoji[]>(p1);
    expect(first).toHaveLength(8);
    expect(first.slice(0, 6).map((e) => e.name)).toEqual(['t5', 't4', 't3', 't2', 't1', 't0']);
    expect(first.every((e) => e.total === 9 && e.count === 9)).toBe(true);
    expect(p1.headers['x-total-count']).toBe('9');
    expect(json<Emoji[]>(await t.app.inject({ url: '/api/v1/emojis/pages/2' }))).toHaveLength(1);
    expect(json(await t.app.inject({ url: '/api/v1/emojis/pages/3' }))).toEqual([]);
    expect(json<Emoji[]>(await t.app.inject({ url: '/api/v1/emojis/?page=0' }))).toHaveLength(8);
  });

  it('lets only the creator delete (403 for others and for built-ins), then hides the template', async () => {
    const owner = await signupLogin(t, 'owner');
    const other = await signupLogin(t, 'other');
    const { id } = await createTemplate(t, owner, '지울 것', pictures);
    expect((await t.app.inject({ method: 'PUT', url: `/api/v1/emojis/delete/${id}` })).statusCode).toBe(401);
    const forbidden = await t.app.inject({ method: 'PUT', url: `/api/v1/emojis/delete/${id}`, headers: other.auth });
    expect(forbidden.statusCode).toBe(403);
    expect(json<Err>(forbidden).error.code).toBe('NOT_TEMPLATE_OWNER');
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/emojis/${id}`, headers: other.auth })).statusCode).toBe(403);
    const builtin = json<Emoji[]>(await t.app.inject({ url: '/api/v1/emojis/pages/1' })).find((e) => e.builtin)!;
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/emojis/${builtin.id}`, headers: owner.auth })).statusCode).toBe(403);
    const done = await t.app.inject({ method: 'PUT', url: `/api/v1/emojis/delete/${id}`, headers: owner.auth });
    expect(done.statusCode).toBe(200);
    expect(json(done)).toEqual({ id, active: false });
    expect((await t.app.inject({ url: `/api/v1/emojis/${id}` })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/emojis/${id}`, headers: owner.auth })).statusCode).toBe(404);
  });
});

describe('ranking', () => {
  /** midnight in Seoul `days` days before today (Seoul), as an instant */
  function seoulMidnight(daysAgo: number): Date {
    const seoulNow = new Date(Date.now() + 9 * 3600_000);
    const midnightUtcFields = Date.UTC(seoulNow.getUTCFullYear(), seoulNow.getUTCMonth(), seoulNow.getUTCDate() - daysAgo);
    return new Date(midnightUtcFields - 9 * 3600_000);
  }

  async function uses(userId: number, emojiId: number, at: Date[]) {
    for (const when of at) {
      const face = await t.container.core.db.execute(
        sql`insert into igemoji_faces (user_id, emoji_id, image_key, status) values (${userId}, ${emojiId}, 'igemoji/x.jpg', 'done') returning id`,
      );
      const faceId = (face as unknown as { rows: Array<{ id: number }> }).rows[0]!.id;
      await t.container.core.db.execute(
        sql`insert into igemoji_results (user_id, face_id, emoji_id, image_key, width, height, faces, created_at)
            values (${userId}, ${faceId}, ${emojiId}, 'igemoji/x.jpg', 1, 1, '[]'::jsonb, ${when.toISOString()}::timestamptz)`,
      );
    }
  }

  it('counts uses in the last 7 Seoul calendar days, most used first, ties by id; top3 ≤ 3', async () => {
    const u = await signupLogin(t, 'ranker');
    const all = json<Emoji[]>(await t.app.inject({ url: '/api/v1/emojis/pages/1' }));
    const [b1, b2, b3] = all.map((e) => e.id).sort((a, b) => a - b) as [number, number, number];
    const mine = (await createTemplate(t, u, '내 것', pictures)).id;
    const edge = seoulMidnight(6);
    await uses(u.id, mine, [new Date(), new Date(edge.getTime() + 60_000), new Date(edge.getTime() - 60_000), new Date(Date.now() - 10 * 86400_000)]);
    await uses(u.id, b2, [new Date(), new Date(Date.now() - 3600_000)]);
    await uses(u.id, b3, [new Date()]);
    await uses(u.id, b1, [new Date()]);
    const ranking = json<Array<{ id: number; cnt: number; user: string; image: string; name: string }>>(await t.app.inject({ url: '/api/v1/faces/ranking' }));
    expect(ranking.map((r) => [r.id, r.cnt])).toEqual([
      [b2, 2],
      [mine, 2],
      [b1, 1],
      [b3, 1],
    ]);
    expect(ranking[1]).toMatchObject({ user: 'ranker', name: '내 것' });
    expect(ranking[1]!.image).toMatch(/images\/neutral\.png$/);
    const top3 = json<Array<{ id: number }>>(await t.app.inject({ url: '/api/v1/emojis/top3' }));
    expect(top3.map((r) => r.id)).toEqual([b2, mine, b1]);
    // a deleted template leaves the ranking
    await t.app.inject({ method: 'DELETE', url: `/api/v1/emojis/${mine}`, headers: u.auth });
    expect(json<Array<{ id: number }>>(await t.app.inject({ url: '/api/v1/emojis/top3' })).map((r) => r.id)).toEqual([b2, b1, b3]);
  });

  it('answers an empty array when nothing was used', async () => {
    expect(json(await t.app.inject({ url: '/api/v1/emojis/top3' }))).toEqual([]);
  });
});
