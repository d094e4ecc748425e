// igemoji: IGE-MOJI's tables on MariaDB and its bucket copied to a folder, with the original's
// bugs (a result row per poll, templates with missing or too few pictures, an upload whose
// composite is gone, an upload without any result, a deleted creator, an orphaned result),
// imported into PostgreSQL and read back through madang's igemoji API, pictures included.
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { runImport, type ImportResult } from '../../src/import/run.js';
import { mysqlOriginal, pgTarget, rawBcrypt, serve, targetConfig, tempDir, unique, type Served } from './helpers.js';
import { IGEMOJI_SCHEMA } from './originals.js';

let served: Served;
let result: ImportResult;
let composite: Buffer;

const url = (key: string) => `http://what-moji.s3.ap-northeast-2.amazonaws.com/${key}`;

beforeAll(async () => {
  const original = await mysqlOriginal(unique('madang_orig_igemoji'));
  await original.sql(IGEMOJI_SCHEMA);
  const mediaDir = tempDir('madang-igemoji-bucket');
  const file = async (body: Buffer): Promise<string> => {
    const key = `${randomUUID()}.jpg`;
    writeFileSync(path.join(mediaDir, key), body);
    return url(key);
  };
  const colour = (c: string, format: 'png' | 'jpeg' = 'png') => {
    const img = sharp({ create: { width: 96, height: 96, channels: 4, background: c } });
    return (format === 'png' ? img.png() : img.flatten({ background: c }).jpeg()).toBuffer();
  };
  const ago = (days: number) => new Date(Date.now() - days * 86400_000);
  await original.sql('insert into users values (?, ?, ?, ?, ?, true, ?, ?)', [1, 'maker@example.com', rawBcrypt('Maker-pass1!'), Buffer.alloc(30), '만든이', ago(40), ago(40)]);
  await original.sql('insert into users values (?, ?, ?, ?, ?, true, ?, ?)', [2, 'user@example.com', rawBcrypt('User-pass1!', 4), Buffer.alloc(30), '사용자', ago(40), ago(40)]);
  await original.sql('insert into users values (?, ?, ?, ?, ?, true, ?, ?)', [3, null, rawBcrypt('None-pass1!', 4), Buffer.alloc(30), '이메일없음', ago(40), ago(40)]);

  const seven = [];
  for (const c of ['#888a', '#f00a', '#0f0a', '#00fa', '#ff0a', '#0ffa', '#f0fa']) seven.push(await file(await colour(c)));
  const emoji = (id: number, userId: number, name: string, urls: string[], active = true, days = 30) =>
    original.sql('insert into emoji values (?, ?, ?, ?, ?, ?, ?)', [id, userId, name, urls.join(','), active, ago(days), ago(days)]);
  await emoji(1, 1, '고양이', seven);
  // five pictures listed, one of them gone from the bucket: the profile picture stands in
  await emoji(2, 1, '강아지', [await file(await colour('#123', 'jpeg')), seven[1]!, url('gone.jpg'), seven[3]!, seven[4]!], true, 29);
  await emoji(3, 2, '지운 것', seven, false, 28);
  await emoji(4, 9, '탈퇴한 사람', seven, true, 27); // the creator was deleted
  await emoji(5, 1, '깨진 것', [url('x1.jpg'), url('x2.jpg')], true, 26);

  const photo = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#a87' } }).jpeg().toBuffer();
  composite = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#7a8' } }).jpeg().toBuffer();
  const face = (id: number, image: string, days: number) => original.sql('insert into faces values (?, 2, ?, ?, ?)', [id, image, ago(days), ago(days)]);
  const res = (id: number, faceId: number, emojiId: number, image: string, days: number) =>
    original.sql('insert into results values (?, 2, ?, ?, ?, ?, ?)', [id, faceId, emojiId, image, ago(days), ago(days)]);
  const compositeUrl = await file(composite);
  await face(1, await file(photo), 5);
  await res(1, 1, 1, compositeUrl, 5);
  await res(2, 1, 1, compositeUrl, 5); // the front end polled again: a second row
  await face(2, await file(photo), 4); // never composited (no face found): no result row
  await face(3, await file(photo), 3);
  await res(3, 3, 2, url('lost-composite.jpg'), 3);
  await face(4, url('lost-photo.jpg'), 2);
  await res(4, 4, 1, compositeUrl, 2);
  await face(5, await file(photo), 1);
  await res(5, 5, 4, compositeUrl, 1); // made with the deleted creator's template
  await res(6, 99, 1, compositeUrl, 1); // its photo was deleted

  const target = await pgTarget(unique('madang_tgt_igemoji'));
  const config = targetConfig('igemoji', tempDir('madang-import-igemoji'), target);
  result = await runImport(config, { app: 'igemoji', from: original.url, media: mediaDir });
  served = await serve(config);
}, 120_000);

async function login(email: string, password: string): Promise<string> {
  const res = await served.app.inject({ method: 'POST', url: '/api/v1/users/auth', payload: { email, password } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().access_token;
}

describe('madang import igemoji → PostgreSQL, files from a folder', () => {
  it('reports what was repaired and skipped; nothing failed', () => {
    expect(result.exitCode, result.report.summary()).toBe(0);
    const stats = Object.fromEntries(result.report.toJson().tables.map((t) => [t.table, t]));
    expect(stats.users).toMatchObject({ read: 3, imported: 3, repaired: 1 });
    expect(stats.emoji).toMatchObject({ read: 5, imported: 3, repaired: 1, skipped: 2 });
    expect(stats.faces).toMatchObject({ read: 5, imported: 2, skipped: 3, failed: 0 });
    expect(stats.results).toMatchObject({ read: 6, imported: 1, merged: 1 });
    const summary = result.report.summary();
    for (const text of ['picture missing or unreadable; the neutral picture stands in', 'creator no longer exists', 'none of its 7 pictures could be read', 'duplicates merged', 'composite file not found', 'its template was not imported', 'its photo no longer exists', 'a reserved .invalid address']) {
      expect(summary).toContain(text);
    }
  });

  it('the creator logs in with the bcrypt password and sees their templates, pictures served', async () => {
    const token = await login('maker@example.com', 'Maker-pass1!');
    const mine = await served.app.inject({ method: 'GET', url: '/api/v1/users/mypage/upload', headers: { authorization: token } });
    expect(mine.statusCode, mine.body).toBe(200);
    expect((mine.json() as Array<{ id: number }>).map((t) => t.id).sort()).toEqual([1, 2]);
    const angry = await served.app.inject({ method: 'GET', url: '/api/v1/emojis/1/images/angry.png' });
    expect(angry.statusCode).toBe(200);
    const { data } = await sharp(angry.rawPayload).raw().toBuffer({ resolveWithObject: true });
    expect([data[0], data[1], data[2]]).toEqual([255, 0, 0]);
    // template 2 listed 5 pictures and lost one: the profile picture stands in for the rest
    const neutral = await served.app.inject({ method: 'GET', url: '/api/v1/emojis/2/images/neutral.png' });
    const surprise = await served.app.inject({ method: 'GET', url: '/api/v1/emojis/2/images/surprise.png' });
    expect(surprise.statusCode).toBe(200);
    expect(Buffer.compare(surprise.rawPayload, neutral.rawPayload)).toBe(0);
    expect((await served.app.inject({ method: 'GET', url: '/api/v1/emojis/3' })).statusCode).toBe(404);
  });

  it('the user sees one result per photo, and the composite is served as it was', async () => {
    const token = await login('user@example.com', 'User-pass1!');
    const mine = await served.app.inject({ method: 'GET', url: '/api/v1/users/mypage/result', headers: { authorization: token } });
    expect(mine.statusCode, mine.body).toBe(200);
    const items = mine.json() as Array<{ id: number; emoji_id: number; image: string }>;
    expect(items.map((i) => [i.id, i.emoji_id])).toEqual([[1, 1]]);
    const img = await served.app.inject({ method: 'GET', url: items[0]!.image });
    expect(img.statusCode).toBe(200);
    expect(Buffer.compare(img.rawPayload, composite)).toBe(0);
  });

  it('ids continue after the originals: the built-in templates made at start-up do not collide', async () => {
    const res = await served.app.inject({ method: 'GET', url: '/api/v1/emojis/pages/1' });
    expect(res.statusCode).toBe(200);
    const ids = (res.json() as Array<{ id: number; builtin: boolean }>).filter((t) => t.builtin).map((t) => t.id);
    expect(ids.length).toBeGreaterThan(0);
    expect(Math.min(...ids)).toBeGreaterThan(5);
  });
});
