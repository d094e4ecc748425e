// auth (baro_intern_assignment, PostgreSQL): the custom user table "user". Ids, usernames,
// nicknames, password hashes, staff/superuser/active flags and dates are kept. The original made
// e-mail unique and NOT NULL but never set it (every user had ''): empty addresses become none.
// Not imported: first/last name (never exposed), Django groups and permissions (unused).
import { authUsers } from '../../apps/auth/auth.table.js';
import { insert, tableStep, type Engine, type Outcome } from '../engine.js';
import { exact } from '../names.js';
import { carryHash } from '../passwords.js';
import { pagesOf, type Row } from '../source.js';
import { allRows, planColumns } from '../users.js';
import { bool, date, int, str } from '../values.js';
import { maxId, requireTables } from './common.js';

const USERS = 'user';

export async function importAuth(engine: Engine): Promise<void> {
  const { source, report, now } = engine.ctx;
  await requireTables(source, [USERS]);
  const all = await allRows(source, USERS);
  const plan = await planColumns(engine, USERS, authUsers, all, [
    { source: 'username', target: authUsers.username, label: 'username', max: 150, fold: exact, kind: 'name' },
    { source: 'nickname', target: authUsers.nickname, label: 'nickname', max: 128, fold: exact, kind: 'name' },
    { source: 'email', target: authUsers.email, label: 'e-mail', max: 254, fold: exact, kind: 'email', empty: 'null' },
  ]);
  await engine.bumpSequence(authUsers, maxId(all));

  const planRows = async (rows: Row[]): Promise<Outcome[]> => {
    const ids = await engine.keepIds(authUsers, rows.map((r) => int(r, 'id')!));
    return rows.map((r) => {
      const sourceId = int(r, 'id')!;
      const p = plan.get(sourceId)!;
      const { id, moved } = ids.get(sourceId)!;
      const pw = carryHash(str(r, 'password'));
      if (pw.unusable) report.reason(USERS, 'note', pw.unusable, String(sourceId));
      const repairs = [...p.username!.repairs, ...p.nickname!.repairs, ...p.email!.repairs];
      if (pw.repair) repairs.push({ reason: pw.repair });
      if (moved) repairs.push({ reason: 'id already used by a user created in madang; given a new id', detail: `→ ${id}` });
      return {
        sourceId: String(sourceId),
        targetId: String(id),
        repairs,
        writes: [
          insert(authUsers, {
            id,
            username: p.username!.value!,
            nickname: p.nickname!.value!,
            email: p.email!.value,
            passwordHash: pw.hash,
            isActive: bool(r, 'is_active', true),
            isStaff: bool(r, 'is_staff'),
            isSuperuser: bool(r, 'is_superuser'),
            createdAt: date(r, 'created_at') ?? date(r, 'date_joined') ?? now,
            lastLogin: date(r, 'last_login'),
          }),
        ],
      };
    });
  };
  await engine.runStep(tableStep(USERS, source, (n) => pagesOf(source, USERS, n), (r: Row) => String(r.id), planRows));
  await engine.bumpSequence(authUsers);
}
