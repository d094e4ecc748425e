// igemoji (IGE-MOJI, MySQL): users, emoji (templates: 7 picture URLs in one comma-joined
// column), faces (uploaded photos) with their results (composites), and the files. Template
// pictures go through the app's own normalisation (upright, ≤ 512 px, PNG with alpha); a missing
// one is stood in for by the profile picture. The original wrote a results row on every poll: one
// per photo is kept. A photo becomes a finished task: done with its composite, failed without.
// Not imported: the redundant bcrypt salt column; per-face expressions (the original kept none).
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import { EMOTIONS } from '../../apps/igemoji/expressions.js';
import { igemojiEmojis, igemojiFaces, igemojiResults, igemojiUsers } from '../../apps/igemoji/igemoji.table.js';
import { normalizePicture } from '../../apps/igemoji/pictures.js';
import { rowsOf } from '../../core/db/client.js';
import { checkImage, IMAGE_EXT } from '../../core/vision/image-intake.js';
import { insert, tableStep, type Engine, type Outcome, type Unit } from '../engine.js';
import { exact, lower } from '../names.js';
import { carryHash } from '../passwords.js';
import { pagesOf, type Row } from '../source.js';
import { igemojiFaceRow } from '../task-rows.js';
import { allRows, planColumns } from '../users.js';
import { bool, date, int, str } from '../values.js';
import { fetchMedia, maxId, requireTables } from './common.js';

const G = { users: 'users', emojis: 'emoji', faces: 'faces', results: 'results' } as const;

export async function importIgemoji(engine: Engine): Promise<void> {
  await requireTables(engine.ctx.source, Object.values(G));
  await importUsers(engine);
  await importTemplates(engine);
  await importFaces(engine);
  const orphans = await engine.ctx.source.query(`select r.id from ${G.results} r left join ${G.faces} f on f.id = r.face_id where f.id is null order by r.id`);
  engine.ctx.report.stats(G.results).read += orphans.length;
  for (const r of orphans) engine.ctx.report.skipped(G.results, 'its photo no longer exists', String(r.id));
  for (const t of [igemojiUsers, igemojiEmojis, igemojiFaces, igemojiResults]) await engine.bumpSequence(t);
}

async function importUsers(engine: Engine): Promise<void> {
  const { source, report, now } = engine.ctx;
  const all = await allRows(source, G.users);
  const plan = await planColumns(engine, G.users, igemojiUsers, all, [
    { source: 'email', target: igemojiUsers.email, label: 'e-mail', max: 200, fold: lower, kind: 'email', empty: 'placeholder' },
    { source: 'alias', target: igemojiUsers.alias, label: 'alias', max: 20, fold: exact, kind: 'name' },
  ]);
  await engine.bumpSequence(igemojiUsers, maxId(all));
  await engine.runStep(
    tableStep(G.users, source, (n) => pagesOf(source, G.users, n), (r: Row) => String(r.id), async (rows) => {
      const ids = await engine.keepIds(igemojiUsers, rows.map((r) => int(r, 'id')!));
      return rows.map((r): Outcome => {
        const sourceId = int(r, 'id')!;
        const p = plan.get(sourceId)!;
        const { id, moved } = ids.get(sourceId)!;
        const pw = carryHash(str(r, 'password'));
        if (pw.unusable) report.reason(G.users, 'note', pw.unusable, String(sourceId));
        const repairs = [...p.email!.repairs, ...p.alias!.repairs];
        if (moved) repairs.push({ reason: 'id already used by a user created in madang; given a new id', detail: `→ ${id}` });
        return {
          sourceId: String(sourceId),
          targetId: String(id),
          repairs,
          writes: [insert(igemojiUsers, { id, email: p.email!.value!, alias: p.alias!.value!, passwordHash: pw.hash, active: bool(r, 'active', true), createdAt: date(r, 'created_at') ?? now })],
        };
      });
    }),
  );
}

async function importTemplates(engine: Engine): Promise<void> {
  const { source, report, now, media } = engine.ctx;
  const store = engine.ctx.storage.scoped('igemoji');
  const max = await source.maxId(G.emojis);
  await engine.bumpSequence(igemojiEmojis, max);
  // built-in templates made by a server started before the import: moved out of the original ids
  const moved = rowsOf<{ id: number }>(
    await engine.db.execute(sql`update igemoji_emojis e set id = nextval(pg_get_serial_sequence('igemoji_emojis', 'id'))
      where e.builtin_key is not null and e.id <= ${max}
        and not exists (select 1 from igemoji_faces f where f.emoji_id = e.id)
        and not exists (select 1 from igemoji_results r where r.emoji_id = e.id)
      returning e.id`),
  );
  if (moved.length) report.reason(G.emojis, 'note', `built-in templates renumbered to leave the original ids free (${moved.length})`);
  await engine.runStep(
    tableStep(G.emojis, source, (n) => pagesOf(source, G.emojis, n), (r: Row) => String(r.id), async (rows) => {
      const ids = await engine.keepIds(igemojiEmojis, rows.map((r) => int(r, 'id')!));
      const out: Outcome[] = [];
      for (const r of rows) {
        const sourceId = int(r, 'id')!;
        const userId = await engine.target(G.users, int(r, 'user_id'));
        if (userId === undefined) {
          out.push({ sourceId: String(sourceId), skip: 'creator no longer exists' });
          continue;
        }
        const urls = (str(r, 'image') ?? '').split(',').map((u) => u.trim());
        const pngs: Array<Buffer | null> = [];
        let leaked = false;
        for (let i = 0; i < EMOTIONS.length; i++) {
          const f = await fetchMedia(media, urls[i] || null);
          if ('missing' in f) {
            pngs.push(null);
            continue;
          }
          leaked ||= f.leaked;
          pngs.push(await normalizePicture(f.bytes).then((p) => p.png, () => null));
        }
        const standIn = pngs[0] ? 0 : pngs.findIndex(Boolean);
        if (standIn < 0) {
          out.push({ sourceId: String(sourceId), skip: media ? 'none of its 7 pictures could be read' : 'no --media given: the pictures cannot be copied' });
          continue;
        }
        const repairs: Unit['repairs'] = [];
        const missing = EMOTIONS.filter((_, i) => !pngs[i]);
        if (missing.length) repairs.push({ reason: `picture missing or unreadable; the ${EMOTIONS[standIn]} picture stands in`, detail: missing.join(' ') });
        if (leaked) repairs.push({ reason: 'picture URLs carried credentials (signed URLs); only the files were kept' });
        const blobs: NonNullable<Unit['blobs']> = [];
        const keyOf = new Map<number, string>();
        for (let i = 0; i < pngs.length; i++) {
          if (!pngs[i]) continue;
          const key = await store.put(pngs[i]!, 'png');
          keyOf.set(i, key);
          blobs.push({ store, key });
        }
        const images = EMOTIONS.map((_, i) => keyOf.get(i) ?? keyOf.get(standIn)!);
        const { id, moved: idMoved } = ids.get(sourceId)!;
        if (idMoved) repairs.push({ reason: 'id already used by a template made in madang; given a new id', detail: `→ ${id}` });
        const active = bool(r, 'active', true);
        out.push({
          sourceId: String(sourceId),
          targetId: String(id),
          repairs,
          blobs,
          writes: [
            insert(igemojiEmojis, {
              id,
              userId,
              name: (str(r, 'name') ?? '').slice(0, 200),
              images,
              builtinKey: null,
              active,
              createdAt: date(r, 'created_at') ?? now,
              deletedAt: active ? null : (date(r, 'updated_at') ?? now),
            }),
          ],
        });
      }
      return out;
    }),
  );
}

async function importFaces(engine: Engine): Promise<void> {
  const { source } = engine.ctx;
  await engine.bumpSequence(igemojiFaces, await source.maxId(G.faces));
  await engine.bumpSequence(igemojiResults, await source.maxId(G.results));
  await engine.runStep(
    tableStep(G.faces, source, (n) => pagesOf(source, G.faces, n), (r: Row) => String(r.id), async (rows) => {
      const results = await source.whereIn(G.results, 'face_id', rows.map((r) => int(r, 'id')!));
      engine.ctx.report.stats(G.results).read += results.length;
      const ids = await engine.keepIds(igemojiFaces, rows.map((r) => int(r, 'id')!));
      const resultIds = await engine.keepIds(igemojiResults, results.map((x) => int(x, 'id')!));
      const out: Outcome[] = [];
      for (const r of rows) {
        const mine = results.filter((x) => int(x, 'face_id') === int(r, 'id'));
        out.push(await faceUnit(engine, r, mine, ids.get(int(r, 'id')!)!, resultIds));
      }
      return out;
    }),
  );
}

async function faceUnit(
  engine: Engine,
  r: Row,
  results: Row[],
  target: { id: number; moved: boolean },
  resultIds: Map<number, { id: number; moved: boolean }>,
): Promise<Outcome> {
  const { report, media, now } = engine.ctx;
  const store = engine.ctx.storage.scoped('igemoji');
  const sourceId = String(int(r, 'id'));
  const skip = (reason: string, rows: Row[] = results): Outcome => {
    for (const x of rows) report.skipped(G.results, `its photo was skipped (${reason})`, String(int(x, 'id')));
    return { sourceId, skip: reason };
  };
  const userId = await engine.target(G.users, int(r, 'user_id'));
  if (userId === undefined) return skip('owner no longer exists');
  // the first result whose template was imported stands; later ones are repeats of it
  let chosen: { row: Row; emojiId: number } | undefined;
  const dups: Row[] = [];
  for (const x of results) {
    const emojiId = await engine.target(G.emojis, int(x, 'emoji_id'));
    if (emojiId === undefined) report.skipped(G.results, 'its template was not imported', String(int(x, 'id')));
    else if (!chosen) chosen = { row: x, emojiId };
    else dups.push(x);
  }
  if (!chosen) return skip('never composited, and the original keeps no template for an upload without a result', []);
  const photo = await fetchMedia(media, str(r, 'image'));
  if ('missing' in photo) return skip(`photo ${photo.missing}`, [chosen.row, ...dups]);
  const checked = await checkImage(photo.bytes).catch(() => undefined);
  if (!checked) return skip('photo is not a readable JPEG, PNG or WebP image within 10 MB and 40 MP', [chosen.row, ...dups]);
  const repairs: Unit['repairs'] = [];
  if (photo.leaked) repairs.push({ reason: 'photo URL carried credentials (a signed URL); only the file was kept' });
  if (target.moved) repairs.push({ reason: 'id already used by an upload made in madang; given a new id', detail: `→ ${target.id}` });
  const imageKey = await store.put(photo.bytes, IMAGE_EXT[checked.type]);
  const blobs: NonNullable<Unit['blobs']> = [{ store, key: imageKey }];
  const composite = await fetchMedia(media, str(chosen.row, 'image'));
  const compositeChecked = 'missing' in composite ? undefined : await checkImage(composite.bytes).catch(() => undefined);
  const createdAt = date(r, 'created_at') ?? now;
  const writes = [];
  const children: NonNullable<Unit['children']> = [];
  const also: NonNullable<Unit['also']> = [];
  const done = Boolean(compositeChecked) && !('missing' in composite);
  writes.push(insert(igemojiFaces, igemojiFaceRow({ id: target.id, taskId: randomUUID(), userId, emojiId: chosen.emojiId, imageKey, done, createdAt, finishedAt: date(chosen.row, 'created_at') ?? createdAt })));
  if (done && !('missing' in composite)) {
    const childRepairs: Unit['repairs'] = composite.leaked ? [{ reason: 'composite URL carried credentials (a signed URL); only the file was kept' }] : [];
    // madang serves composites as JPEG, as the original wrote them
    let jpeg = composite.bytes;
    if (compositeChecked!.type !== 'jpeg') {
      jpeg = await sharp(composite.bytes).flatten({ background: '#ffffff' }).jpeg({ quality: 90 }).toBuffer();
      childRepairs.push({ reason: 'composite was not a JPEG; converted' });
    }
    const resultKey = await store.put(jpeg, 'jpg');
    blobs.push({ store, key: resultKey });
    const rid = resultIds.get(int(chosen.row, 'id')!)!;
    writes.push(insert(igemojiResults, {
      id: rid.id,
      uuid: randomUUID(),
      userId,
      faceId: target.id,
      emojiId: chosen.emojiId,
      imageKey: resultKey,
      width: compositeChecked!.width,
      height: compositeChecked!.height,
      faces: [],
      createdAt: date(chosen.row, 'created_at') ?? createdAt,
    }));
    children.push({ table: G.results, sourceId: String(int(chosen.row, 'id')), targetId: String(rid.id), repairs: childRepairs });
    for (const d of dups) also.push({ sourceTable: G.results, sourceId: String(int(d, 'id')), targetId: String(rid.id) });
    if (dups.length) report.reason(G.results, 'repaired', 'the original wrote a result on every poll; duplicates merged', dups.map((d) => String(int(d, 'id'))).join(' '));
  } else {
    for (const x of [chosen.row, ...dups]) report.skipped(G.results, 'composite file not found or unreadable (its photo is imported as a failed task)', String(int(x, 'id')));
  }
  return { sourceId, targetId: String(target.id), repairs, writes, children, also, blobs };
}
