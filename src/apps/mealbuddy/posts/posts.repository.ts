import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Db } from '../../../core/db/client.js';
import { mbUsers } from '../users/users.table.js';
import { mbPosts, mbRooms, type MbPost, type MbRoom } from './posts.table.js';

export interface PostRow {
  id: number;
  title: string;
  category: string;
  content: string;
  address: string;
  createdAt: Date;
  isCompelete: boolean;
  targetNumber: number;
  joinNumber: number;
  writerId: number;
  writerUsername: string;
  writerEmail: string;
  chatId: number | null;
}

interface RawPost {
  id: number;
  title: string;
  category: string;
  content: string;
  address: string;
  created_at: Date | string;
  is_compelete: boolean;
  target_number: number;
  join_number: number;
  writer_id: number;
  writer_username: string;
  writer_email: string;
  chat_id: number | null;
}

function fromRaw(r: RawPost): PostRow {
  return {
    id: Number(r.id),
    title: r.title,
    category: r.category,
    content: r.content,
    address: r.address,
    createdAt: new Date(r.created_at),
    isCompelete: r.is_compelete,
    targetNumber: r.target_number,
    joinNumber: r.join_number,
    writerId: Number(r.writer_id),
    writerUsername: r.writer_username,
    writerEmail: r.writer_email,
    chatId: r.chat_id === null ? null : Number(r.chat_id),
  };
}

const cols = {
  id: mbPosts.id,
  title: mbPosts.title,
  category: mbPosts.category,
  content: mbPosts.content,
  address: mbPosts.address,
  createdAt: mbPosts.createdAt,
  isCompelete: mbPosts.isCompelete,
  targetNumber: mbPosts.targetNumber,
  joinNumber: mbPosts.joinNumber,
  writerId: mbPosts.writerId,
  writerUsername: mbUsers.username,
  writerEmail: mbUsers.email,
  chatId: mbRooms.id,
};

/** Writer and room come in the same query (the original ran ~20 extra queries a page, docs/apps/mealbuddy.md §11.25). */
export class PostsRepository {
  constructor(private readonly db: Db) {}

  private filter(address: string, category?: string): SQL | undefined {
    return and(eq(mbPosts.address, address), category ? eq(mbPosts.category, category) : undefined);
  }

  /**
   * One round trip for the list: min(count, cap) (the paginator needs the exact count only near
   * the requested page) and the page at `offset`, whose ids come from the (address, created_at, id)
   * index before the ten rows are joined.
   */
  async pageWithCount(address: string, category: string | undefined, offset: number, limit: number, cap: number): Promise<{ total: number; rows: PostRow[] }> {
    const where = category ? sql`address = ${address} and category = ${category}` : sql`address = ${address}`;
    const raw = rowsOf<RawPost & { total: number }>(
      await this.db.execute(sql`
        select t.n as total, x.* from (
          select count(*)::int as n from (select 1 from mealbuddy_posts where ${where} limit ${cap}) c
        ) t
        left join (
          select p.id, p.title, p.category, p.content, p.address, p.created_at, p.is_compelete, p.target_number,
                 p.join_number, p.writer_id, u.username as writer_username, u.email as writer_email, r.id as chat_id
          from (select id from mealbuddy_posts where ${where} order by created_at desc, id desc limit ${limit} offset ${offset}) ids
          join mealbuddy_posts p on p.id = ids.id
          join mealbuddy_users u on u.id = p.writer_id
          left join mealbuddy_chat_rooms r on r.post_id = p.id
        ) x on true
        order by x.created_at desc, x.id desc`),
    );
    return { total: Number(raw[0]?.total ?? 0), rows: raw.filter((r) => r.id !== null).map(fromRaw) };
  }

  /** the page's ids come from the (address, created_at, id) index first; only those ten are joined */
  async page(address: string, category: string | undefined, offset: number, limit: number): Promise<PostRow[]> {
    const ids = this.db
      .select({ id: mbPosts.id })
      .from(mbPosts)
      .where(this.filter(address, category))
      .orderBy(desc(mbPosts.createdAt), desc(mbPosts.id))
      .limit(limit)
      .offset(offset)
      .as('page_ids');
    return this.db
      .select(cols)
      .from(ids)
      .innerJoin(mbPosts, eq(mbPosts.id, ids.id))
      .innerJoin(mbUsers, eq(mbUsers.id, mbPosts.writerId))
      .leftJoin(mbRooms, eq(mbRooms.postId, mbPosts.id))
      .orderBy(desc(mbPosts.createdAt), desc(mbPosts.id));
  }

  async byId(id: number, db: Db = this.db): Promise<PostRow | undefined> {
    const [row] = await db
      .select(cols)
      .from(mbPosts)
      .innerJoin(mbUsers, eq(mbUsers.id, mbPosts.writerId))
      .leftJoin(mbRooms, eq(mbRooms.postId, mbPosts.id))
      .where(eq(mbPosts.id, id))
      .limit(1);
    return row;
  }

  /** the post's own room (one per post, deleted with it) */
  async createRoom(db: Db, postId: number): Promise<MbRoom> {
    const [row] = await db.insert(mbRooms).values({ postId }).returning();
    return row!;
  }

  async lock(db: Db, id: number): Promise<MbPost | undefined> {
    const [row] = await db.select().from(mbPosts).where(eq(mbPosts.id, id)).for('update');
    return row;
  }

  async insert(db: Db, values: { title: string; category: string; content: string; writerId: number; address: string; targetNumber: number }): Promise<MbPost> {
    const [row] = await db.insert(mbPosts).values({ ...values, joinNumber: 0 }).returning();
    return row!;
  }

  async update(db: Db, id: number, values: Partial<Pick<MbPost, 'title' | 'category' | 'content' | 'targetNumber' | 'isCompelete'>>): Promise<void> {
    if (Object.keys(values).length) await db.update(mbPosts).set(values).where(eq(mbPosts.id, id));
  }

  async delete(db: Db, id: number): Promise<void> {
    await db.delete(mbPosts).where(eq(mbPosts.id, id));
  }

  async roomIdOf(db: Db, postId: number): Promise<number | undefined> {
    const [row] = await db.select({ id: mbRooms.id }).from(mbRooms).where(eq(mbRooms.postId, postId)).limit(1);
    return row?.id;
  }
}
