// mealbuddy's chat: memberships (the original had no unique key on room and user, so duplicates
// are merged), the rooms' blacklist arrays (ids as strings, duplicates possible) turned into
// banned memberships, messages in their order, then the repairs across rows: a room for every
// post, the writer a member of their own room, and join_number = the count of active members.
import { and, inArray, sql } from 'drizzle-orm';
import { mbJoins, mbMessages } from '../../apps/mealbuddy/chat/chat.table.js';
import { mbRooms } from '../../apps/mealbuddy/posts/posts.table.js';
import { rowsOf } from '../../core/db/client.js';
import { insert, tableStep, update, type Engine, type Outcome, type Unit } from '../engine.js';
import { pagesOf, type Row } from '../source.js';
import { bool, date, int, str } from '../values.js';

/** the original's tables */
export const MB = { users: 'user_user', posts: 'post_post', rooms: 'chatRoom', joins: 'chatRoomJoin', messages: 'chatMessage' } as const;

const importedPosts = sql`(select target_id::bigint from import_ids where app = 'mealbuddy' and source_table = ${MB.posts})`;

/** the original created a post's room in a signal outside the transaction: some posts have none */
export async function roomsForPostsWithout(engine: Engine): Promise<void> {
  const rows = rowsOf<{ post_id: number }>(
    await engine.db.execute(sql`insert into mealbuddy_chat_rooms (post_id)
      select p.id from mealbuddy_posts p where p.id in ${importedPosts}
        and not exists (select 1 from mealbuddy_chat_rooms r where r.post_id = p.id)
      returning post_id`),
  );
  for (const r of rows) engine.ctx.report.reason(MB.posts, 'repaired', 'post had no chat room (created outside a transaction in the original); one was made', String(r.post_id));
}

interface Existing {
  id: number;
  isActive: boolean;
  joinedAt: Date;
}

async function existingJoins(engine: Engine, pairs: Array<[number, number]>): Promise<Map<string, Existing>> {
  const rooms = [...new Set(pairs.map((p) => p[0]))];
  const wanted = new Set(pairs.map(([r, u]) => `${r}:${u}`));
  const out = new Map<string, Existing>();
  if (rooms.length === 0) return out;
  const rows = await engine.db.select().from(mbJoins).where(and(inArray(mbJoins.roomId, rooms)));
  for (const j of rows) {
    const key = `${j.roomId}:${j.userId}`;
    if (wanted.has(key)) out.set(key, { id: j.id, isActive: j.isActive, joinedAt: j.joinedAt });
  }
  return out;
}

export async function importJoins(engine: Engine): Promise<void> {
  const { source, now } = engine.ctx;
  await engine.bumpSequence(mbJoins, await source.maxId(MB.joins));
  await engine.runStep(
    tableStep(MB.joins, source, (n) => pagesOf(source, MB.joins, n), (r: Row) => String(r.id), async (rows) => {
      const out: Outcome[] = [];
      const groups = new Map<string, { room: number; user: number; rows: Row[] }>();
      for (const r of rows) {
        const sourceId = String(int(r, 'id'));
        const room = await engine.target(MB.rooms, int(r, 'chatroom_id'));
        const user = await engine.target(MB.users, int(r, 'user_id'));
        if (room === undefined) out.push({ sourceId, skip: 'its room no longer exists or was not imported' });
        else if (user === undefined) out.push({ sourceId, skip: 'its user no longer exists' });
        else {
          const key = `${room}:${user}`;
          const g = groups.get(key) ?? { room, user, rows: [] };
          g.rows.push(r);
          groups.set(key, g);
        }
      }
      const existing = await existingJoins(engine, [...groups.values()].map((g) => [g.room, g.user]));
      const fresh = [...groups.entries()].filter(([k]) => !existing.has(k)).map(([, g]) => int(g.rows[0]!, 'id')!);
      const ids = await engine.keepIds(mbJoins, fresh);
      for (const [key, g] of groups) {
        const [head, ...dups] = g.rows;
        const sourceId = String(int(head!, 'id'));
        const active = g.rows.some((r) => !bool(r, 'is_deleted'));
        // the original swapped the names: updated_at is set once at the join, created_at on every save
        const joinedAt = minDate(g.rows.map((r) => date(r, 'updated_at') ?? date(r, 'created_at'))) ?? now;
        const updatedAt = maxDate(g.rows.map((r) => date(r, 'created_at'))) ?? joinedAt;
        const repairs: Unit['repairs'] = [];
        const prior = existing.get(key);
        const targetId = prior ? prior.id : ids.get(int(head!, 'id')!)!.id;
        if (dups.length || prior) repairs.push({ reason: 'duplicate membership of one user in one room (no unique key in the original); merged' });
        const also = dups.map((d) => ({ sourceTable: MB.joins, sourceId: String(int(d, 'id')), targetId: String(targetId) }));
        const write = prior
          ? update(mbJoins, prior.id, { isActive: prior.isActive || active, joinedAt: prior.joinedAt < joinedAt ? prior.joinedAt : joinedAt })
          : insert(mbJoins, { id: targetId, roomId: g.room, userId: g.user, isActive: active, isBanned: false, joinedAt, updatedAt });
        out.push({ sourceId, targetId: String(targetId), repairs, also, writes: [write] });
      }
      return out;
    }),
  );
}

interface BanRow {
  id: string;
  roomSourceId: number;
  entry: string;
}

export async function importBans(engine: Engine): Promise<void> {
  const { source, report, now } = engine.ctx;
  const label = `${MB.rooms}.blacklist`;
  await engine.runStep<BanRow>({
    table: label,
    total: async () => 0,
    async *pages(size) {
      for await (const rooms of pagesOf(source, MB.rooms, size)) {
        const bans: BanRow[] = [];
        for (const r of rooms) {
          const list = Array.isArray(r.blacklist) ? r.blacklist.map((v) => String(v ?? '').trim()) : [];
          const unique = [...new Set(list)];
          if (unique.length < list.length) report.reason(label, 'note', 'a user listed more than once in a blacklist (a repeated ban); counted once', String(r.id));
          for (const entry of unique) bans.push({ id: `${int(r, 'id')}:${entry}`, roomSourceId: int(r, 'id')!, entry });
        }
        if (bans.length) yield bans;
      }
    },
    idOf: (b) => b.id,
    plan: async (bans) => {
      const out: Outcome[] = [];
      const ok: Array<{ ban: BanRow; room: number; user: number }> = [];
      for (const ban of bans) {
        const room = await engine.target(MB.rooms, ban.roomSourceId);
        const user = /^\d{1,15}$/.test(ban.entry) ? await engine.target(MB.users, Number(ban.entry)) : undefined;
        if (room === undefined) out.push({ sourceId: ban.id, skip: 'its room was not imported' });
        else if (user === undefined) out.push({ sourceId: ban.id, skip: 'not the id of an imported user' });
        else ok.push({ ban, room, user });
      }
      const existing = await existingJoins(engine, ok.map((b) => [b.room, b.user]));
      const ids = await engine.allocate(mbJoins, ok.filter((b) => !existing.has(`${b.room}:${b.user}`)).length);
      for (const { ban, room, user } of ok) {
        const prior = existing.get(`${room}:${user}`);
        const repairs: Unit['repairs'] = [];
        if (prior?.isActive) repairs.push({ reason: 'banned user was still an active member; marked as left' });
        if (!prior) repairs.push({ reason: 'banned without a membership row; a banned membership was added' });
        const targetId = prior ? prior.id : ids.shift()!;
        const write = prior
          ? update(mbJoins, prior.id, { isActive: false, isBanned: true })
          : insert(mbJoins, { id: targetId, roomId: room, userId: user, isActive: false, isBanned: true, joinedAt: now, updatedAt: now });
        out.push({ sourceId: ban.id, targetId: String(targetId), repairs, writes: [write] });
      }
      return out;
    },
  });
}

/** across rows, once memberships are in: idempotent, so a second run changes nothing */
export async function repairMemberships(engine: Engine): Promise<void> {
  const { report } = engine.ctx;
  const rejoined = rowsOf<{ post_id: number }>(
    await engine.db.execute(sql`insert into mealbuddy_chat_joins (room_id, user_id, joined_at, updated_at)
      select r.id, p.writer_id, p.created_at, now() from mealbuddy_posts p join mealbuddy_chat_rooms r on r.post_id = p.id
      where p.id in ${importedPosts}
      on conflict (room_id, user_id) do update set is_active = true, is_banned = false, updated_at = now()
        where not mealbuddy_chat_joins.is_active or mealbuddy_chat_joins.is_banned
      returning (select post_id from mealbuddy_chat_rooms where id = room_id) as post_id`),
  );
  const writers = report.stats(`${MB.posts}: writer membership`);
  writers.repaired += rejoined.length;
  for (const r of rejoined) report.reason(`${MB.posts}: writer membership`, 'repaired', 'writer had left or was banned from their own room (the original allowed it); member again', String(r.post_id));
  const trimmed = rowsOf<{ room_id: number }>(
    await engine.db.execute(sql`update mealbuddy_chat_joins j set is_active = false, updated_at = now() from (
        select j2.id, row_number() over (partition by j2.room_id order by (j2.user_id = p.writer_id) desc, j2.joined_at, j2.id) as rn
        from mealbuddy_chat_joins j2 join mealbuddy_chat_rooms r on r.id = j2.room_id join mealbuddy_posts p on p.id = r.post_id
        where j2.is_active and p.id in ${importedPosts}) x
      where x.id = j.id and x.rn > 10 returning j.room_id`),
  );
  for (const r of trimmed) report.reason(`${MB.posts}: join_number`, 'repaired', 'more than 10 active members (the most a post allows); the latest joiners were marked as left', `room ${r.room_id}`);
  const counted = rowsOf<{ id: number; old: number; n: number }>(
    await engine.db.execute(sql`with c as (
        select p.id, p.join_number as old, count(j.id) filter (where j.is_active)::int as n
        from mealbuddy_posts p join mealbuddy_chat_rooms r on r.post_id = p.id left join mealbuddy_chat_joins j on j.room_id = r.id
        where p.id in ${importedPosts} group by p.id)
      update mealbuddy_posts p set join_number = c.n, target_number = greatest(p.target_number, c.n)
      from c where c.id = p.id and (p.join_number <> c.n or p.target_number < c.n)
      returning p.id, c.old, c.n`),
  );
  const stats = report.stats(`${MB.posts}: join_number`);
  stats.repaired += counted.length;
  for (const c of counted) report.reason(`${MB.posts}: join_number`, 'repaired', 'join_number differed from the active members (drift); recomputed', `${c.id} (${c.old} → ${c.n})`);
}

export async function importMessages(engine: Engine): Promise<void> {
  const { source, now } = engine.ctx;
  await engine.bumpSequence(mbMessages, await source.maxId(MB.messages));
  await engine.runStep(
    tableStep(MB.messages, source, (n) => pagesOf(source, MB.messages, n), (r: Row) => String(r.id), async (rows) => {
      const ids = await engine.keepIds(mbMessages, rows.map((r) => int(r, 'id')!));
      const out: Outcome[] = [];
      for (const r of rows) {
        const sourceId = int(r, 'id')!;
        const roomId = await engine.target(MB.rooms, int(r, 'chatroom_id'));
        if (roomId === undefined) {
          out.push({ sourceId: String(sourceId), skip: 'its room no longer exists or was not imported' });
          continue;
        }
        const author = int(r, 'user_id');
        const userId = author === null ? null : await engine.target(MB.users, author);
        if (userId === undefined) {
          out.push({ sourceId: String(sourceId), skip: 'its author no longer exists' });
          continue;
        }
        const { id, moved } = ids.get(sourceId)!;
        out.push({
          sourceId: String(sourceId),
          targetId: String(id),
          repairs: moved ? [{ reason: 'id already used by a message written in madang; given a new id (order may differ)', detail: `→ ${id}` }] : [],
          writes: [insert(mbMessages, { id, roomId, userId, message: (str(r, 'message') ?? '').slice(0, 300), createdAt: date(r, 'created_at') ?? now })],
        });
      }
      return out;
    }),
  );
  for (const t of [mbJoins, mbMessages, mbRooms]) await engine.bumpSequence(t);
}

function minDate(ds: Array<Date | null>): Date | null {
  return ds.reduce<Date | null>((m, d) => (d && (!m || d < m) ? d : m), null);
}

function maxDate(ds: Array<Date | null>): Date | null {
  return ds.reduce<Date | null>((m, d) => (d && (!m || d > m) ? d : m), null);
}
