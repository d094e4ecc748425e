// zodiac (십이지신, MySQL): users_users, picture with its result rows, and the files. Each picture
// is copied into madang's storage through the same intake as an upload (real type detected,
// metadata stripped, thumbnail made) and gets a finished task: done with its top 3 when the
// original stored results, failed when its analysis never finished. The original's result rows
// carry no rank and repeat on every poll: one row per animal is kept, ranked by similarity, at
// most three. Challenges are granted for the imported analyses. Not imported: `great` (madang
// has the same twelve animals built in), the redundant bcrypt salt column and `active` (unused).
import { randomUUID } from 'node:crypto';
import { inArray, sql } from 'drizzle-orm';
import { animalByName } from '../../apps/zodiac/animals.js';
import { earnedChallenges } from '../../apps/zodiac/challenges.js';
import { zodiacPictures, zodiacResults, zodiacTasks, zodiacUserChallenges, zodiacUsers } from '../../apps/zodiac/zodiac.table.js';
import { rowsOf } from '../../core/db/client.js';
import { intakeImage } from '../../core/vision/image-intake.js';
import { insert, tableStep, type Engine, type Outcome, type Unit } from '../engine.js';
import { exact, lower, planUnique } from '../names.js';
import { carryHash } from '../passwords.js';
import { pagesOf, type Row } from '../source.js';
import { zodiacTaskRow } from '../task-rows.js';
import { allRows, planColumns } from '../users.js';
import { date, int, num, str, uuid } from '../values.js';
import { fetchMedia, maxId, requireTables } from './common.js';

const Z = { users: 'users_users', animals: 'great', pictures: 'picture', results: 'result' } as const;

export async function importZodiac(engine: Engine): Promise<void> {
  await requireTables(engine.ctx.source, Object.values(Z));
  await importUsers(engine);
  const animals = await animalIds(engine);
  await importPictures(engine, animals);
  await reportOrphanResults(engine);
  await grantChallenges(engine);
  for (const t of [zodiacUsers, zodiacPictures, zodiacResults]) await engine.bumpSequence(t);
}

async function importUsers(engine: Engine): Promise<void> {
  const { source, report, now } = engine.ctx;
  const all = await allRows(source, Z.users);
  const plan = await planColumns(engine, Z.users, zodiacUsers, all, [
    { source: 'username', target: zodiacUsers.username, label: 'username', max: 20, fold: lower, kind: 'name' },
    { source: 'alias', target: zodiacUsers.alias, label: 'alias', max: 20, fold: exact, kind: 'name' },
    { source: 'email', target: zodiacUsers.email, label: 'e-mail', max: 200, fold: lower, kind: 'email', empty: 'placeholder' },
  ]);
  // the uuid is the public id in every path; the original never made it unique
  const foreign = await engine.db.select({ u: zodiacUsers.uuid }).from(zodiacUsers);
  const uuids = planUnique(
    all.map((r) => ({ id: int(r, 'id')!, value: uuid(r, 'uuid') ?? '' })).filter((e) => e.value),
    exact,
    foreign.map((f) => f.u),
    () => randomUUID(),
  );
  await engine.bumpSequence(zodiacUsers, maxId(all));
  await engine.runStep(
    tableStep(Z.users, source, (n) => pagesOf(source, Z.users, n), (r: Row) => String(r.id), async (rows) => {
      const ids = await engine.keepIds(zodiacUsers, rows.map((r) => int(r, 'id')!));
      return rows.map((r): Outcome => {
        const sourceId = int(r, 'id')!;
        const p = plan.get(sourceId)!;
        const { id, moved } = ids.get(sourceId)!;
        const pw = carryHash(str(r, 'password'));
        if (pw.unusable) report.reason(Z.users, 'note', pw.unusable, String(sourceId));
        const repairs = [...p.username!.repairs, ...p.alias!.repairs, ...p.email!.repairs];
        const u = uuids.get(sourceId);
        if (!u) repairs.push({ reason: 'no valid uuid (the public user id); a new one was made' });
        else if (u.renamed) repairs.push({ reason: 'uuid shared with another user (never unique in the original); a new one was made' });
        if (moved) repairs.push({ reason: 'id already used by a user created in madang; given a new id', detail: `→ ${id}` });
        return {
          sourceId: String(sourceId),
          targetId: String(id),
          repairs,
          writes: [
            insert(zodiacUsers, {
              id,
              uuid: u?.value ?? randomUUID(),
              username: p.username!.value!,
              alias: p.alias!.value!,
              email: p.email!.value!,
              passwordHash: pw.hash,
              createdAt: date(r, 'created_at') ?? now,
            }),
          ],
        };
      });
    }),
  );
}

/** the original's `great` ids → madang's animal ids, by label (the fixture's order could differ) */
async function animalIds(engine: Engine): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  for await (const page of pagesOf(engine.ctx.source, Z.animals, 100)) {
    for (const r of page) {
      const a = animalByName((str(r, 'name') ?? '').trim().toLowerCase());
      if (a) out.set(int(r, 'id')!, a.id);
    }
  }
  return out;
}

interface Ranked {
  kept: Array<{ row: Row; rank: number; animalId: number; similarity: number }>;
  dropped: Array<{ row: Row; reason: string; into?: number }>;
}

/** one row per animal (the best), by similarity, at most three */
export function rankResults(rows: Row[], animals: Map<number, number>): Ranked {
  const best = new Map<number, { row: Row; similarity: number }>();
  const dropped: Ranked['dropped'] = [];
  const valid: Array<{ row: Row; animalId: number; similarity: number }> = [];
  for (const row of rows) {
    const animalId = animals.get(int(row, 'great_id') ?? -1);
    const similarity = num(row, 'similarity');
    if (animalId === undefined) dropped.push({ row, reason: 'animal is not one of the twelve' });
    else if (similarity === null) dropped.push({ row, reason: 'similarity missing' });
    else valid.push({ row, animalId, similarity: Math.min(100, Math.max(0, similarity)) });
  }
  for (const v of valid) {
    const b = best.get(v.animalId);
    if (!b || v.similarity > b.similarity) best.set(v.animalId, v);
  }
  const order = [...best.entries()].sort((a, b) => b[1].similarity - a[1].similarity || int(a[1].row, 'id')! - int(b[1].row, 'id')!);
  const kept = order.slice(0, 3).map(([animalId, b], i) => ({ row: b.row, rank: i + 1, animalId, similarity: b.similarity }));
  const keptIds = new Set(kept.map((k) => int(k.row, 'id')));
  for (const v of valid) {
    if (keptIds.has(int(v.row, 'id'))) continue;
    const into = kept.find((k) => k.animalId === v.animalId);
    dropped.push(into
      ? { row: v.row, reason: 'the same animal written again (a repeated poll); merged', into: int(into.row, 'id')! }
      : { row: v.row, reason: 'beyond the top three of its picture' });
  }
  return { kept, dropped };
}

async function importPictures(engine: Engine, animals: Map<number, number>): Promise<void> {
  const { source, report, now } = engine.ctx;
  const store = engine.ctx.storage.scoped('zodiac');
  await engine.bumpSequence(zodiacPictures, await source.maxId(Z.pictures));
  await engine.bumpSequence(zodiacResults, await source.maxId(Z.results));
  const usedUuids = new Set<string>();
  await engine.runStep(
    tableStep(Z.pictures, source, (n) => pagesOf(source, Z.pictures, n), (r: Row) => String(r.id), async (rows) => {
      const results = await source.whereIn(Z.results, 'picture_id', rows.map((r) => int(r, 'id')!));
      report.stats(Z.results).read += results.length;
      const ranked = new Map(rows.map((r) => [int(r, 'id')!, rankResults(results.filter((x) => int(x, 'picture_id') === int(r, 'id')), animals)]));
      const ids = await engine.keepIds(zodiacPictures, rows.map((r) => int(r, 'id')!));
      const resultIds = await engine.keepIds(zodiacResults, [...ranked.values()].flatMap((k) => k.kept.map((x) => int(x.row, 'id')!)));
      const wanted = rows.map((r) => uuid(r, 'uuid')).filter((u): u is string => Boolean(u));
      const taken = new Set((await engine.db.select({ u: zodiacPictures.uuid }).from(zodiacPictures).where(inArray(zodiacPictures.uuid, wanted.length ? wanted : ['00000000-0000-0000-0000-000000000000']))).map((x) => x.u));
      const out: Outcome[] = [];
      for (const r of rows) {
        const sourceId = int(r, 'id')!;
        const rank = ranked.get(sourceId)!;
        const skip = (reason: string): Outcome => {
          for (const x of [...rank.kept, ...rank.dropped]) report.skipped(Z.results, `its picture was skipped (${reason})`, String(int(x.row, 'id')));
          return { sourceId: String(sourceId), skip: reason };
        };
        const userId = await engine.target(Z.users, int(r, 'user_id'));
        if (userId === undefined) {
          out.push(skip(int(r, 'user_id') === null ? 'no owner recorded' : 'owner no longer exists'));
          continue;
        }
        const picUuid = uuid(r, 'uuid');
        const file = await fetchMedia(engine.ctx.media, str(r, 'picture_url'), picUuid ? [`image/${picUuid}.png`, `${picUuid}.png`] : []);
        if ('missing' in file) {
          out.push(skip(file.missing));
          continue;
        }
        let image;
        try {
          image = await intakeImage(file.bytes);
        } catch {
          out.push(skip('file is not a readable JPEG, PNG or WebP image within 10 MB and 40 MP'));
          continue;
        }
        const repairs: Unit['repairs'] = [];
        if (file.leaked) repairs.push({ reason: 'picture URL carried credentials (a signed URL); only the file was kept' });
        if (file.viaFallback) repairs.push({ reason: 'picture URL broken; the file was found by the picture uuid', detail: str(r, 'picture_url') ?? '' });
        const named = file.key.slice(file.key.lastIndexOf('.') + 1).toLowerCase();
        if (named !== image.ext && !(named === 'jpeg' && image.ext === 'jpg')) repairs.push({ reason: `file named .${named} but holds another type; stored as what it is`, detail: image.mime });
        let pictureUuid = picUuid;
        if (!pictureUuid || taken.has(pictureUuid) || usedUuids.has(pictureUuid)) {
          repairs.push({ reason: pictureUuid ? 'picture uuid already used by another picture; a new one was made' : 'picture had no uuid; a new one was made' });
          pictureUuid = randomUUID();
        }
        usedUuids.add(pictureUuid);
        const originalKey = await store.put(image.original, image.ext);
        const thumbnailKey = await store.put(image.thumbnail, 'jpg');
        const { id, moved } = ids.get(sourceId)!;
        if (moved) repairs.push({ reason: 'id already used by a picture uploaded in madang; given a new id', detail: `→ ${id}` });
        const createdAt = date(r, 'created_at') ?? now;
        const children: NonNullable<Unit['children']> = [];
        const writes = [
          insert(zodiacPictures, { id, uuid: pictureUuid, userId, originalKey, thumbnailKey, mime: image.mime, width: image.width, height: image.height, createdAt }),
          insert(zodiacTasks, zodiacTaskRow({
            id: randomUUID(),
            userId,
            pictureId: id,
            done: rank.kept.length > 0,
            createdAt,
            finishedAt: rank.kept.reduce((m, k) => { const d = date(k.row, 'created_at'); return d && d > m ? d : m; }, createdAt),
          })),
        ];
        for (const k of rank.kept) {
          const rid = resultIds.get(int(k.row, 'id')!)!;
          const childRepairs: Unit['repairs'] = int(k.row, 'user_id') !== int(r, 'user_id') ? [{ reason: "user differed from its picture's owner; the owner's" }] : [];
          writes.push(insert(zodiacResults, { id: rid.id, userId, pictureId: id, animalId: k.animalId, rank: k.rank, similarity: k.similarity, createdAt: date(k.row, 'created_at') ?? createdAt }));
          children.push({ table: Z.results, sourceId: String(int(k.row, 'id')), targetId: String(rid.id), repairs: childRepairs });
        }
        const also: NonNullable<Unit['also']> = [];
        for (const d of rank.dropped) {
          if (d.into === undefined) report.skipped(Z.results, d.reason, String(int(d.row, 'id')));
          else also.push({ sourceTable: Z.results, sourceId: String(int(d.row, 'id')), targetId: String(resultIds.get(d.into)!.id) });
        }
        if (also.length) report.reason(Z.results, 'repaired', 'the same animal written again by a repeated poll; merged', also.map((a) => a.sourceId).join(' '));
        if (!rank.kept.length) report.reason(Z.pictures, 'note', 'no analysis stored in the original: imported as a failed analysis', String(sourceId));
        out.push({ sourceId: String(sourceId), targetId: String(id), repairs, writes, children, also, blobs: [{ store, key: originalKey }, { store, key: thumbnailKey }] });
      }
      return out;
    }),
  );
}

async function reportOrphanResults(engine: Engine): Promise<void> {
  const rows = await engine.ctx.source.query(`select r.id from ${Z.results} r left join ${Z.pictures} p on p.id = r.picture_id where p.id is null order by r.id`);
  engine.ctx.report.stats(Z.results).read += rows.length;
  for (const r of rows) engine.ctx.report.skipped(Z.results, 'its picture no longer exists', String(r.id));
}

/** madang grants challenges as analyses finish; the imported ones earn theirs here */
async function grantChallenges(engine: Engine): Promise<void> {
  const counts = rowsOf<{ user_id: number; analysed: number; animals: number }>(
    await engine.db.execute(sql`select t.user_id,
        count(*)::int as analysed,
        (select count(distinct animal_id)::int from zodiac_results r where r.user_id = t.user_id and r.rank = 1) as animals
      from zodiac_tasks t where t.status = 'done' and t.user_id in
        (select target_id::bigint from import_ids where app = 'zodiac' and source_table = ${Z.users})
      group by t.user_id`),
  );
  let granted = 0;
  for (const c of counts) {
    const earned = earnedChallenges(Number(c.analysed), Number(c.animals));
    if (earned.length === 0) continue;
    const rows = await engine.db
      .insert(zodiacUserChallenges)
      .values(earned.map((challengeId) => ({ userId: Number(c.user_id), challengeId })))
      .onConflictDoNothing()
      .returning({ id: zodiacUserChallenges.id });
    granted += rows.length;
  }
  if (granted) engine.ctx.report.reason('zodiac_user_challenges', 'note', `challenges granted for the imported analyses (${granted})`);
}
