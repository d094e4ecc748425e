// zodiac: 십이지신's tables on MariaDB and its photos in an S3 bucket (s3rver), with the original's
// bugs (a uuid and an e-mail shared by two users, a NULL username, every photo named .png whatever it is,
// a result row per poll, a missing top-3 because of the mouse bug, a signed URL, a broken one,
// a photo that is not an image, an orphaned result), imported into PostgreSQL and read back
// through madang's zodiac API, pictures included.
import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { runImport, type ImportResult } from '../../src/import/run.js';
import { mysqlOriginal, pgTarget, rawBcrypt, s3Media, serve, targetConfig, tempDir, unique, type Served } from './helpers.js';
import { ZODIAC_SCHEMA } from './originals.js';

const LABELS = ['mouse', 'cow', 'tiger', 'rabbit', 'dragon', 'snake', 'horse', 'lamb', 'monkey', 'chicken', 'dog', 'pig'];
const hex = () => randomUUID().replace(/-/g, '');
const dashed = (h: string) => `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
const s3Url = (key: string) => `https://greatman-bucket2.s3.ap-northeast-2.amazonaws.com/${key}`;

let served: Served;
let result: ImportResult;
const userUuid = hex();
const pics = { a: hex(), b: hex(), c: hex(), signed: hex(), broken: hex(), notImage: hex(), gone: hex(), orphan: hex() };
let photoA: Buffer;

beforeAll(async () => {
  const original = await mysqlOriginal(unique('madang_orig_zodiac'));
  await original.sql(ZODIAC_SCHEMA);
  const now = new Date();
  const ago = (days: number) => new Date(now.getTime() - days * 86400_000);
  for (const [i, name] of LABELS.entries()) {
    await original.sql('insert into great values (?, ?, ?, ?, ?, ?)', [i + 1, name, `${name} 설명`, s3Url(`animal/${name}.png`), ago(300), ago(300)]);
  }
  const user = (id: number, uuid: string, username: string | null, alias: string, email: string, password: string) =>
    original.sql('insert into users_users values (?, ?, ?, ?, ?, ?, ?, true, ?, ?)', [id, uuid, username, alias, rawBcrypt(password, id === 1 ? 12 : 4), Buffer.alloc(30), email, ago(60), ago(60)]);
  await user(1, userUuid, 'hong', '홍길동', 'hong@example.com', 'Passw0rd!');
  await user(2, hex(), null, '손님', 'guest@example.com', 'Guest-pass1');
  await user(3, userUuid, 'hongsun', '홍길순', 'HONG@example.com', 'Other-pass1'); // same uuid and e-mail as user 1

  const media = await s3Media('greatman-media');
  photoA = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#c86' } }).jpeg().toBuffer();
  const png = await sharp({ create: { width: 200, height: 200, channels: 4, background: '#48c8' } }).png().toBuffer();
  // the original saved every upload as <picuuid>.png, whatever its type (photoA is a JPEG)
  for (const [key, body] of [[pics.a, photoA], [pics.b, png], [pics.c, png], [pics.signed, png], [pics.broken, png]] as const) {
    await media.put(`backup/image/${dashed(key)}.png`, body);
  }
  await media.put(`backup/image/${dashed(pics.notImage)}.png`, Buffer.from('<html>Access Denied</html>'));
  const picture = (id: number, userId: number | null, uuid: string, url: string, days: number) =>
    original.sql('insert into picture values (?, ?, ?, ?, ?, ?)', [id, userId, url, uuid, ago(days), ago(days)]);
  await picture(1, 1, pics.a, s3Url(`image/${dashed(pics.a)}.png`), 10);
  await picture(2, 1, pics.b, s3Url(`image/${dashed(pics.b)}.png`), 9);
  await picture(3, 1, pics.c, s3Url(`image/${dashed(pics.c)}.png`), 8); // its analysis never finished
  await picture(4, 1, pics.signed, `${s3Url(`image/${dashed(pics.signed)}.png`)}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20220930&X-Amz-Signature=abc123`, 7);
  await picture(5, 1, pics.broken, s3Url('image/None.png'), 6); // a broken URL; the file is there under its uuid
  await picture(6, 1, pics.notImage, s3Url(`image/${dashed(pics.notImage)}.png`), 5);
  await picture(7, 1, pics.gone, s3Url(`image/${dashed(pics.gone)}.png`), 4); // the file is gone
  await picture(8, null, pics.orphan, s3Url(`image/${dashed(pics.orphan)}.png`), 3); // uploaded without a user
  const res = (id: number, pictureId: number, greatId: number, similarity: number, days: number) =>
    original.sql('insert into result values (?, 1, ?, ?, ?, ?, ?)', [id, greatId, pictureId, similarity, ago(days), ago(days)]);
  // picture 1: the top 3, written twice by two polls
  await res(1, 1, 3, 87.3, 10);
  await res(2, 1, 11, 6.1, 10);
  await res(3, 1, 2, 2, 10);
  await res(4, 1, 3, 87.3, 10);
  await res(5, 1, 11, 6.1, 10);
  await res(6, 1, 2, 2, 10);
  // picture 2: the mouse bug left only two rows
  await res(7, 2, 9, 55.5, 9);
  await res(8, 2, 10, 20.1, 9);
  await res(9, 4, 12, 99.9, 7);
  await res(10, 999, 1, 50, 2); // its picture was deleted

  const target = await pgTarget(unique('madang_tgt_zodiac'));
  const config = targetConfig('zodiac', tempDir('madang-import-zodiac'), target);
  result = await runImport(config, {
    app: 'zodiac',
    from: original.url,
    media: 's3://greatman-media/backup',
    mediaS3: { endpoint: media.endpoint, credentials: media.credentials },
  });
  served = await serve(config);
}, 120_000);

async function login(username: string, password: string): Promise<{ token: string; uuid: string }> {
  const res = await served.app.inject({ method: 'POST', url: '/api/v1/users/auth', payload: { username, password } });
  expect(res.statusCode, res.body).toBe(200);
  return { token: res.json().access_token, uuid: res.json().uuid };
}

describe('madang import zodiac → PostgreSQL, photos from S3', () => {
  it('reports what was repaired and skipped; nothing failed', () => {
    expect(result.exitCode, result.report.summary()).toBe(0);
    const stats = Object.fromEntries(result.report.toJson().tables.map((t) => [t.table, t]));
    expect(stats.users_users).toMatchObject({ read: 3, imported: 3 });
    expect(stats.picture).toMatchObject({ read: 8, imported: 5, skipped: 3, failed: 0 });
    expect(stats.result).toMatchObject({ read: 10, imported: 6, merged: 3, skipped: 1 });
    const summary = result.report.summary();
    for (const text of ['uuid shared with another user', 'file named .png but holds another type', 'signed URL', 'picture URL broken; the file was found by the picture uuid', 'not a readable JPEG', 'file not found', 'no owner recorded', 'its picture no longer exists', 'a repeated poll']) {
      expect(summary).toContain(text);
    }
  });

  it('a user logs in with the bcrypt password, keeps the public uuid and sees results with their top 3', async () => {
    const { token, uuid } = await login('hong', 'Passw0rd!');
    expect(uuid).toBe(dashed(userUuid));
    const page = await served.app.inject({ method: 'GET', url: `/api/users/${uuid}/pages/1`, headers: { authorization: token } });
    expect(page.statusCode, page.body).toBe(200);
    const items = page.json() as Array<{ picuuid: string; status: string; results: Array<{ rank: number; name: string; similarity: number }> }>;
    const byUuid = Object.fromEntries(items.map((i) => [i.picuuid, i]));
    expect(byUuid[dashed(pics.a)]!.results).toEqual([
      { rank: 1, name: 'tiger', name_ko: '호랑이띠', similarity: 87.3 },
      { rank: 2, name: 'dog', name_ko: '개띠', similarity: 6.1 },
      { rank: 3, name: 'cow', name_ko: '소띠', similarity: 2 },
    ]);
    expect(byUuid[dashed(pics.b)]!.results.map((r) => r.name)).toEqual(['monkey', 'chicken']);
    expect(byUuid[dashed(pics.c)]).toMatchObject({ status: 'failed', results: [] });
    expect(byUuid[dashed(pics.signed)]!.results.map((r) => r.name)).toEqual(['pig']);
    expect(Object.keys(byUuid).sort()).toEqual([pics.a, pics.b, pics.c, pics.signed, pics.broken].map(dashed).sort());
  });

  it('an imported picture is served with its real type, and a thumbnail was made', async () => {
    const pic = await served.app.inject({ method: 'GET', url: `/api/v1/animals/pictures/${dashed(pics.a)}` });
    expect(pic.statusCode).toBe(200);
    expect(pic.headers['content-type']).toBe('image/jpeg');
    expect((await sharp(pic.rawPayload).metadata()).width).toBe(320);
    const thumb = await served.app.inject({ method: 'GET', url: `/api/v1/animals/pictures/${dashed(pics.a)}/thumbnail` });
    expect(thumb.statusCode).toBe(200);
    const meta = await sharp(thumb.rawPayload).metadata();
    expect(meta.format).toBe('jpeg');
    expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(256);
  });

  it('the user without a username logs in as user<id>; the one sharing a uuid got a new one', async () => {
    await login('user2', 'Guest-pass1');
    const other = await login('hongsun', 'Other-pass1');
    expect(other.uuid).not.toBe(dashed(userUuid));
  });

  it('the imported analyses earned their challenges', async () => {
    const { token, uuid } = await login('hong', 'Passw0rd!');
    const res = await served.app.inject({ method: 'GET', url: `/api/users/${uuid}/challenges`, headers: { authorization: token } });
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as Array<{ challenge_id: number }>).map((c) => c.challenge_id)).toEqual([1, 2]);
  });
});
