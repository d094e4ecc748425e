import { and, asc, count, desc, eq, lt, sql } from 'drizzle-orm';
import type { Db } from '../../../core/db/client.js';
import { rowsOf } from '../../../core/db/client.js';
import { mbPosts, mbRooms, type MbPost, type MbRoom } from '../posts/posts.table.js';
import { mbUsers } from '../users/users.table.js';
import { mbJoins, mbMessages, type MbJoin } from './chat.table.js';

export interface MessageRow {
  id: number;
  roomId: number;
  message: string;
  createdAt: Date;
  userId: number | null;
  username: string | null;
  email: string | null;
}

export interface MemberRow {
  id: number;
  username: string;
  email: string;
}

const messageCols = {
  id: mbMessages.id,
  roomId: mbMessages.roomId,
  message: mbMessages.message,
  createdAt: mbMessages.createdAt,
  userId: mbMessages.userId,
  username: mbUsers.username,
  email: mbUsers.email,
};

/** Every query takes the handle to use: inside a transaction that must be the transaction. */
export class ChatRepository {
  /** the room and its post; `lock` takes the row locks that serialise joins, leaves and bans */
  async roomWithPost(db: Db, roomId: number, lock = false): Promise<{ room: MbRoom; post: MbPost } | undefined> {
    const q = db.select({ room: mbRooms, post: mbPosts }).from(mbRooms).innerJoin(mbPosts, eq(mbPosts.id, mbRooms.postId)).where(eq(mbRooms.id, roomId));
    const [row] = await (lock ? q.for('update') : q);
    return row;
  }

  async joinOf(db: Db, roomId: number, userId: number): Promise<MbJoin | undefined> {
    const [row] = await db.select().from(mbJoins).where(and(eq(mbJoins.roomId, roomId), eq(mbJoins.userId, userId))).limit(1);
    return row;
  }

  async isActiveMember(db: Db, roomId: number, userId: number): Promise<boolean> {
    const [row] = await db
      .select({ id: mbJoins.id })
      .from(mbJoins)
      .where(and(eq(mbJoins.roomId, roomId), eq(mbJoins.userId, userId), eq(mbJoins.isActive, true)))
      .limit(1);
    return Boolean(row);
  }

  /** creates the membership or reactivates it (one row per room and user) */
  async activate(db: Db, roomId: number, userId: number): Promise<void> {
    await db
      .insert(mbJoins)
      .values({ roomId, userId })
      .onConflictDoUpdate({ target: [mbJoins.roomId, mbJoins.userId], set: { isActive: true, updatedAt: sql`now()` } });
  }

  async deactivate(db: Db, roomId: number, userId: number, ban: boolean): Promise<void> {
    await db
      .update(mbJoins)
      .set({ isActive: false, updatedAt: sql`now()`, ...(ban ? { isBanned: true } : {}) })
      .where(and(eq(mbJoins.roomId, roomId), eq(mbJoins.userId, userId)));
  }

  /** join_number := the count of active joins, so it can never drift (docs/apps/mealbuddy.md §11.11) */
  async recount(db: Db, postId: number, roomId: number): Promise<MbPost> {
    const [{ n } = { n: 0 }] = await db
      .select({ n: count() })
      .from(mbJoins)
      .where(and(eq(mbJoins.roomId, roomId), eq(mbJoins.isActive, true)));
    const [post] = await db.update(mbPosts).set({ joinNumber: Number(n) }).where(eq(mbPosts.id, postId)).returning();
    return post!;
  }

  async completeIfFull(db: Db, postId: number): Promise<void> {
    await db.update(mbPosts).set({ isCompelete: true }).where(and(eq(mbPosts.id, postId), sql`${mbPosts.joinNumber} >= ${mbPosts.targetNumber}`));
  }

  async insertSystemMessage(db: Db, roomId: number, text: string): Promise<MessageRow> {
    const [row] = await db.insert(mbMessages).values({ roomId, message: text }).returning();
    return { ...row!, username: null, email: null };
  }

  /** A member's message, stored only while the sender is still an active member of a live room. */
  async insertMemberMessage(db: Db, roomId: number, userId: number, text: string): Promise<{ id: number; createdAt: Date } | undefined> {
    const rows = rowsOf<{ id: number; created_at: Date | string }>(
      await db.execute(sql`
        insert into mealbuddy_chat_messages (room_id, user_id, message)
        select ${roomId}, ${userId}, ${text}
        where exists (select 1 from mealbuddy_chat_joins j join mealbuddy_chat_rooms r on r.id = j.room_id
                      where j.room_id = ${roomId} and j.user_id = ${userId} and j.is_active and not r.is_deleted)
        returning id, created_at`),
    );
    const row = rows[0];
    return row ? { id: Number(row.id), createdAt: new Date(row.created_at) } : undefined;
  }

  /** newest `limit` messages before the cursor, returned oldest first */
  async messages(db: Db, roomId: number, before: number | undefined, limit: number): Promise<MessageRow[]> {
    const rows = await db
      .select(messageCols)
      .from(mbMessages)
      .leftJoin(mbUsers, eq(mbUsers.id, mbMessages.userId))
      .where(and(eq(mbMessages.roomId, roomId), before ? lt(mbMessages.id, before) : undefined))
      .orderBy(desc(mbMessages.id))
      .limit(limit);
    return rows.reverse();
  }

  async activeMemberIds(db: Db, roomId: number): Promise<number[]> {
    const rows = await db
      .select({ id: mbJoins.userId })
      .from(mbJoins)
      .where(and(eq(mbJoins.roomId, roomId), eq(mbJoins.isActive, true)));
    return rows.map((r) => Number(r.id));
  }

  async members(db: Db, roomId: number): Promise<MemberRow[]> {
    return db
      .select({ id: mbUsers.id, username: mbUsers.username, email: mbUsers.email })
      .from(mbJoins)
      .innerJoin(mbUsers, eq(mbUsers.id, mbJoins.userId))
      .where(and(eq(mbJoins.roomId, roomId), eq(mbJoins.isActive, true)))
      .orderBy(asc(mbJoins.joinedAt), asc(mbJoins.id));
  }

  async softDelete(db: Db, roomId: number): Promise<void> {
    await db.update(mbRooms).set({ isDeleted: true }).where(eq(mbRooms.id, roomId));
  }

  async userBrief(db: Db, userId: number): Promise<MemberRow | undefined> {
    const [row] = await db.select({ id: mbUsers.id, username: mbUsers.username, email: mbUsers.email }).from(mbUsers).where(eq(mbUsers.id, userId)).limit(1);
    return row;
  }
}
