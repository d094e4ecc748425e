import { and, count, desc, eq, sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../../core/db/client.js';
import { igemojiEmojis, igemojiResults, igemojiUsers } from './igemoji.table.js';

export interface EmojiView {
  id: number;
  userId: number | null;
  name: string;
  images: string[];
  builtinKey: string | null;
  alias: string | null;
  createdAt: Date;
}

export interface RankRow {
  id: number;
  name: string;
  alias: string | null;
  builtinKey: string | null;
  images: string[];
  cnt: number;
}

const view = {
  id: igemojiEmojis.id,
  userId: igemojiEmojis.userId,
  name: igemojiEmojis.name,
  images: igemojiEmojis.images,
  builtinKey: igemojiEmojis.builtinKey,
  alias: igemojiUsers.alias,
  createdAt: igemojiEmojis.createdAt,
};

export class EmojisRepository {
  constructor(private readonly db: Db) {}

  /** templates the user made that are not deleted */
  async liveCountOf(userId: number): Promise<number> {
    const [row] = await this.db
      .select({ n: count() })
      .from(igemojiEmojis)
      .where(and(eq(igemojiEmojis.userId, userId), sql`${igemojiEmojis.deletedAt} is null`));
    return Number(row?.n ?? 0);
  }

  async insert(values: { userId: number; name: string; images: string[] }): Promise<number> {
    const [row] = await this.db.insert(igemojiEmojis).values(values).returning({ id: igemojiEmojis.id });
    return row!.id;
  }

  /** built-in templates: created once, whichever process gets there first */
  async ensureBuiltins(sets: Array<{ key: string; name: string; images: string[] }>): Promise<void> {
    if (sets.length === 0) return;
    await this.db
      .insert(igemojiEmojis)
      .values(sets.map((s) => ({ userId: null, name: s.name, images: s.images, builtinKey: s.key })))
      .onConflictDoNothing();
  }

  async activeById(id: number): Promise<EmojiView | undefined> {
    const [row] = await this.db
      .select(view)
      .from(igemojiEmojis)
      .leftJoin(igemojiUsers, eq(igemojiUsers.id, igemojiEmojis.userId))
      .where(and(eq(igemojiEmojis.id, id), eq(igemojiEmojis.active, true)))
      .limit(1);
    return row;
  }

  /** active templates newest first (ids break ties), optionally only one creator's */
  async page(offset: number, limit: number, userId?: number): Promise<{ rows: EmojiView[]; total: number }> {
    const where = and(eq(igemojiEmojis.active, true), userId === undefined ? undefined : eq(igemojiEmojis.userId, userId));
    const rows = await this.db
      .select(view)
      .from(igemojiEmojis)
      .leftJoin(igemojiUsers, eq(igemojiUsers.id, igemojiEmojis.userId))
      .where(where)
      .orderBy(desc(igemojiEmojis.createdAt), desc(igemojiEmojis.id))
      .limit(limit)
      .offset(offset);
    const [c] = await this.db.select({ n: count() }).from(igemojiEmojis).where(where);
    return { rows, total: Number(c?.n ?? 0) };
  }

  /** a template's pictures whatever its state: a task uploaded before a deletion still finishes */
  async imagesOf(id: number): Promise<string[] | undefined> {
    const [row] = await this.db.select({ images: igemojiEmojis.images }).from(igemojiEmojis).where(eq(igemojiEmojis.id, id)).limit(1);
    return row?.images;
  }

  /** 'deleted' | 'forbidden' | 'missing', decided and applied in one statement per case */
  async softDelete(id: number, userId: number): Promise<'deleted' | 'forbidden' | 'missing'> {
    const done = await this.db
      .update(igemojiEmojis)
      .set({ active: false, deletedAt: new Date() })
      .where(and(eq(igemojiEmojis.id, id), eq(igemojiEmojis.userId, userId), eq(igemojiEmojis.active, true)))
      .returning({ id: igemojiEmojis.id });
    if (done.length) return 'deleted';
    const [row] = await this.db.select({ active: igemojiEmojis.active }).from(igemojiEmojis).where(eq(igemojiEmojis.id, id)).limit(1);
    return row?.active ? 'forbidden' : 'missing';
  }

  /**
   * Template uses in the last 7 calendar days in Asia/Seoul ([today−6 00:00 KST, now]), active
   * templates only, most used first, ties by id (docs/apps/igemoji.md §8 with §11.12 fixed).
   */
  async ranking(now: Date, limit?: number): Promise<RankRow[]> {
    const rows = rowsOf<{ id: number; name: string; alias: string | null; builtin_key: string | null; images: string[]; cnt: number }>(
      await this.db.execute(sql`
        select e.id, e.name, u.alias, e.builtin_key, e.images, count(r.id)::int as cnt
        from ${igemojiResults} r
        join ${igemojiEmojis} e on e.id = r.emoji_id and e.active
        left join ${igemojiUsers} u on u.id = e.user_id
        where r.created_at >= ((((${now.toISOString()}::timestamptz) at time zone 'Asia/Seoul')::date - 6)::timestamp at time zone 'Asia/Seoul')
          and r.created_at <= ${now.toISOString()}::timestamptz
        group by e.id, e.name, u.alias, e.builtin_key, e.images
        order by cnt desc, e.id asc
        ${limit ? sql`limit ${limit}` : sql``}`),
    );
    return rows.map((r) => ({ id: Number(r.id), name: r.name, alias: r.alias, builtinKey: r.builtin_key, images: parseArray(r.images), cnt: Number(r.cnt) }));
  }
}

/** raw queries may hand a Postgres array back as its text form on some drivers */
function parseArray(v: string[] | string): string[] {
  if (Array.isArray(v)) return v;
  return v.replace(/^\{|\}$/g, '').split(',').map((s) => s.replace(/^"|"$/g, ''));
}

