// mealbuddy (MealBuddy, PostgreSQL): user_user, post_post, chatRoom (with its blacklist array),
// chatRoomJoin and chatMessage, with their ids (chat_id included). join_number is recomputed from
// the memberships at the end (chat.ts). Not imported: the food chooser's conversations and quotas
// (Redis DB 1, flushed daily by the original), Django groups and permissions.
import { mbRooms } from '../../apps/mealbuddy/posts/posts.table.js';
import { mbPosts } from '../../apps/mealbuddy/posts/posts.table.js';
import { mbUsers } from '../../apps/mealbuddy/users/users.table.js';
import { insert, tableStep, type Engine, type Outcome, type Unit } from '../engine.js';
import { exact, lower } from '../names.js';
import { carryHash } from '../passwords.js';
import { pagesOf, type Row } from '../source.js';
import { allRows, planColumns } from '../users.js';
import { bool, date, int, str } from '../values.js';
import { importBans, importJoins, importMessages, MB, repairMemberships, roomsForPostsWithout } from './mealbuddy-chat.js';
import { maxId, requireTables } from './common.js';

export async function importMealbuddy(engine: Engine): Promise<void> {
  await requireTables(engine.ctx.source, Object.values(MB));
  await importUsers(engine);
  await importPosts(engine);
  await importRooms(engine);
  await roomsForPostsWithout(engine);
  await importJoins(engine);
  await importBans(engine);
  await repairMemberships(engine);
  await importMessages(engine);
}

async function importUsers(engine: Engine): Promise<void> {
  const { source, report, now } = engine.ctx;
  const all = await allRows(source, MB.users);
  // login is by e-mail, compared lower-cased in madang: case variants the original let in collide
  const plan = await planColumns(engine, MB.users, mbUsers, all, [
    { source: 'email', target: mbUsers.email, label: 'e-mail', max: 254, fold: lower, kind: 'email', empty: 'placeholder', store: lower },
    { source: 'username', target: mbUsers.username, label: 'username', max: 255, fold: exact, kind: 'name' },
  ]);
  await engine.bumpSequence(mbUsers, maxId(all));
  await engine.runStep(
    tableStep(MB.users, source, (n) => pagesOf(source, MB.users, n), (r: Row) => String(r.id), async (rows) => {
      const ids = await engine.keepIds(mbUsers, rows.map((r) => int(r, 'id')!));
      return rows.map((r): Outcome => {
        const sourceId = int(r, 'id')!;
        const p = plan.get(sourceId)!;
        const { id, moved } = ids.get(sourceId)!;
        const pw = carryHash(str(r, 'password'));
        if (pw.unusable) report.reason(MB.users, 'note', pw.unusable, String(sourceId));
        const repairs = [...p.email!.repairs, ...p.username!.repairs];
        if (pw.repair) repairs.push({ reason: pw.repair });
        if (moved) repairs.push({ reason: 'id already used by a user created in madang; given a new id', detail: `→ ${id}` });
        const created = date(r, 'created_at') ?? now;
        return {
          sourceId: String(sourceId),
          targetId: String(id),
          repairs,
          writes: [
            insert(mbUsers, {
              id,
              email: p.email!.value!,
              username: p.username!.value!,
              passwordHash: pw.hash,
              address: (str(r, 'address') ?? '').slice(0, 200),
              isActive: bool(r, 'is_active', true),
              isStaff: bool(r, 'is_staff'),
              isSuperuser: bool(r, 'is_superuser'),
              lastLogin: date(r, 'last_login'),
              createdAt: created,
              updatedAt: date(r, 'updated_at') ?? created,
            }),
          ],
        };
      });
    }),
  );
  await engine.bumpSequence(mbUsers);
}

async function importPosts(engine: Engine): Promise<void> {
  const { source, now } = engine.ctx;
  await engine.bumpSequence(mbPosts, await source.maxId(MB.posts));
  await engine.runStep(
    tableStep(MB.posts, source, (n) => pagesOf(source, MB.posts, n), (r: Row) => String(r.id), async (rows) => {
      const ids = await engine.keepIds(mbPosts, rows.map((r) => int(r, 'id')!));
      const out: Outcome[] = [];
      for (const r of rows) {
        const sourceId = int(r, 'id')!;
        const writerId = await engine.target(MB.users, int(r, 'writer_id'));
        if (writerId === undefined) {
          out.push({ sourceId: String(sourceId), skip: 'writer no longer exists' });
          continue;
        }
        const { id, moved } = ids.get(sourceId)!;
        const repairs: Unit['repairs'] = [];
        const raw = int(r, 'target_number') ?? 1;
        const targetNumber = Math.min(10, Math.max(1, raw));
        if (targetNumber !== raw) repairs.push({ reason: 'target_number outside 1–10; clamped', detail: `${raw} → ${targetNumber}` });
        if (moved) repairs.push({ reason: 'id already used by a post created in madang; given a new id', detail: `→ ${id}` });
        out.push({
          sourceId: String(sourceId),
          targetId: String(id),
          repairs,
          writes: [
            insert(mbPosts, {
              id,
              title: (str(r, 'title') ?? '').slice(0, 30),
              category: (str(r, 'category') ?? '치킨').slice(0, 30),
              content: str(r, 'content') ?? '',
              writerId,
              address: (str(r, 'address') ?? '').slice(0, 200),
              createdAt: date(r, 'created_at') ?? now,
              isCompelete: bool(r, 'is_compelete'),
              targetNumber,
              // recomputed from the memberships once they are in (repairMemberships)
              joinNumber: Math.min(targetNumber, Math.max(0, int(r, 'join_number') ?? 0)),
            }),
          ],
        });
      }
      return out;
    }),
  );
  await engine.bumpSequence(mbPosts);
}

async function importRooms(engine: Engine): Promise<void> {
  const { source } = engine.ctx;
  await engine.bumpSequence(mbRooms, await source.maxId(MB.rooms));
  await engine.runStep(
    tableStep(MB.rooms, source, (n) => pagesOf(source, MB.rooms, n), (r: Row) => String(r.id), async (rows) => {
      const ids = await engine.keepIds(mbRooms, rows.map((r) => int(r, 'id')!));
      const out: Outcome[] = [];
      for (const r of rows) {
        const sourceId = int(r, 'id')!;
        const postId = await engine.target(MB.posts, int(r, 'post_id'));
        if (postId === undefined) {
          out.push({ sourceId: String(sourceId), skip: 'its post no longer exists or was not imported' });
          continue;
        }
        const { id, moved } = ids.get(sourceId)!;
        out.push({
          sourceId: String(sourceId),
          targetId: String(id),
          repairs: moved ? [{ reason: 'id already used by a room created in madang; given a new id', detail: `→ ${id}` }] : [],
          writes: [insert(mbRooms, { id, postId, isDeleted: bool(r, 'is_deleted') })],
        });
      }
      return out;
    }),
  );
}
