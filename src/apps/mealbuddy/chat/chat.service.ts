// Chat rooms (docs/apps/mealbuddy.md §4.3, §6) with the rules fixed: every join, leave and ban runs in one
// transaction holding the room+post row lock, join_number is recounted from the active joins,
// joins are refused when complete, full, banned or deleted, leave and ban are idempotent, members
// only see rooms and member lists, and removed users' sockets are closed. Rooms belong to posts:
// chat depends on posts/, and serves a post the RoomChat it needs.
import type { Db } from '../../../core/db/client.js';
import { AppError } from '../../../core/errors.js';
import type { MealbuddyCache } from '../mealbuddy.cache.js';
import type { RoomChat } from '../posts/posts.service.js';
import type { MbPost, MbRoom } from '../posts/posts.table.js';
import type { MbUser } from '../users/users.table.js';
import { joinText, leaveText, messageJson, type ChatEvents } from './chat.events.js';
import type { ChatRepository, MessageRow } from './chat.repository.js';

export const HISTORY_DEFAULT = 100;
export const HISTORY_MAX = 200;

export class ChatService implements RoomChat {
  constructor(
    private readonly db: Db,
    private readonly repo: ChatRepository,
    private readonly events: ChatEvents,
    private readonly cache: MealbuddyCache,
  ) {}

  async seatWriter(tx: Db, postId: number, roomId: number, writer: MbUser): Promise<() => Promise<void>> {
    await this.repo.activate(tx, roomId, writer.id);
    await this.repo.recount(tx, postId, roomId);
    const notice = await this.repo.insertSystemMessage(tx, roomId, joinText(writer.username));
    return () => this.events.joined(roomId, writer.id, notice);
  }

  memberIds(roomId: number): Promise<number[]> {
    return this.repo.activeMemberIds(this.db, roomId);
  }

  closed(roomId: number): Promise<void> {
    return this.events.roomGone(roomId);
  }

  async room(viewer: MbUser, roomId: number, page: { before?: number; limit?: number } = {}) {
    const { room, post } = await this.live(this.db, roomId);
    if (!(await this.repo.isActiveMember(this.db, room.id, viewer.id))) throw new AppError('CHAT_ACCESS_DENIED', 403);
    return this.payload(room, post, page, viewer);
  }

  async join(viewer: MbUser, roomId: number) {
    const notice = await this.db.transaction(async (tx) => {
      const { room, post } = await this.live(tx, roomId, true);
      const existing = await this.repo.joinOf(tx, room.id, viewer.id);
      // an existing member is let in even when the room is full (the original refused, §11.12)
      if (existing?.isActive) return undefined;
      if (existing?.isBanned) throw new AppError('CHAT_BANNED', 403);
      // the room belongs to the post's neighbourhood: joining from elsewhere would also unlock the
      // post detail that OTHER_NEIGHBOURHOOD guards (found by test/abuse/idor.test.ts)
      if (post.address !== viewer.address && !viewer.isStaff) throw new AppError('OTHER_NEIGHBOURHOOD', 403);
      if (post.isCompelete) throw new AppError('RECRUITMENT_COMPLETE', 409);
      if (post.joinNumber >= post.targetNumber) throw new AppError('CHAT_FULL', 409);
      await this.repo.activate(tx, room.id, viewer.id);
      await this.repo.recount(tx, post.id, room.id);
      await this.repo.completeIfFull(tx, post.id);
      const message = await this.repo.insertSystemMessage(tx, room.id, joinText(viewer.username));
      return { message, post };
    });
    if (notice) {
      this.cache.postChanged(notice.post.id, notice.post.address);
      await this.events.joined(roomId, viewer.id, notice.message);
    }
    const { room, post } = await this.live(this.db, roomId);
    return this.payload(room, post, {}, viewer);
  }

  async leave(viewer: MbUser, roomId: number): Promise<void> {
    const notice = await this.db.transaction(async (tx) => {
      const { room, post } = await this.live(tx, roomId, true);
      if (post.writerId === viewer.id) throw new AppError('WRITER_CANNOT_LEAVE', 403);
      const existing = await this.repo.joinOf(tx, room.id, viewer.id);
      if (!existing) throw new AppError('INVALID_REQUEST', 403);
      if (!existing.isActive) return undefined; // leaving twice changes nothing (§11.11)
      return this.remove(tx, room, post, viewer.id, viewer.username, false);
    });
    if (notice) {
      this.cache.postChanged(notice.post.id, notice.post.address);
      await this.events.left(roomId, viewer.id, notice.message);
    }
  }

  async ban(viewer: MbUser, roomId: number, targetId: number): Promise<void> {
    const notice = await this.db.transaction(async (tx) => {
      const { room, post } = await this.live(tx, roomId, true);
      if (post.writerId !== viewer.id) throw new AppError('BAN_FORBIDDEN', 403);
      if (targetId === viewer.id) throw new AppError('CANNOT_BAN_SELF', 400, { target_user_id: [{ kind: 'code', code: 'CANNOT_BAN_SELF' }] });
      const existing = await this.repo.joinOf(tx, room.id, targetId);
      if (!existing) throw new AppError('NOT_A_MEMBER', 404);
      if (existing.isBanned) return undefined; // banning twice changes nothing (§4.3)
      if (!existing.isActive) {
        // a user who already left is blacklisted without a second leave notice or decrement
        await this.repo.deactivate(tx, room.id, targetId, true);
        return undefined;
      }
      return this.remove(tx, room, post, targetId, (await this.repo.userBrief(tx, targetId))?.username ?? '', true);
    });
    if (notice) {
      this.cache.postChanged(notice.post.id, notice.post.address);
      await this.events.left(roomId, targetId, notice.message);
    }
  }

  async deleteRoom(viewer: MbUser, roomId: number): Promise<void> {
    const gone = await this.db.transaction(async (tx) => {
      const found = await this.repo.roomWithPost(tx, roomId, true);
      if (!found) throw new AppError('CHAT_ROOM_NOT_FOUND', 404);
      if (found.post.writerId !== viewer.id) throw new AppError('CHAT_DELETE_FORBIDDEN', 403);
      if (found.room.isDeleted) return undefined;
      await this.repo.softDelete(tx, roomId);
      return found.post;
    });
    if (gone) {
      this.cache.postChanged(gone.id, gone.address);
      await this.events.roomGone(roomId);
    }
  }

  async members(viewer: MbUser, roomId: number) {
    const { room } = await this.live(this.db, roomId);
    if (!(await this.repo.isActiveMember(this.db, room.id, viewer.id))) throw new AppError('CHAT_ACCESS_DENIED', 403);
    // other members' e-mails are not shown (issue 15 #4; the original front end reads only username)
    return (await this.repo.members(this.db, room.id)).map((u) => ({ user: { ...u, email: emailFor(viewer, u.id, u.email) } }));
  }

  /** for the socket handshake: 'ok' | reason to refuse */
  async socketAccess(userId: number, roomId: number): Promise<'ok' | 'missing' | 'deleted' | 'forbidden'> {
    const found = await this.repo.roomWithPost(this.db, roomId);
    if (!found) return 'missing';
    if (found.room.isDeleted) return 'deleted';
    return (await this.repo.isActiveMember(this.db, roomId, userId)) ? 'ok' : 'forbidden';
  }

  /** persists a socket message, then broadcasts it; undefined when the sender is no longer a member */
  async send(sender: { id: number; username: string; email: string }, roomId: number, text: string): Promise<MessageRow | undefined> {
    const saved = await this.repo.insertMemberMessage(this.db, roomId, sender.id, text);
    if (!saved) return undefined;
    const row: MessageRow = { id: saved.id, roomId, message: text, createdAt: saved.createdAt, userId: sender.id, username: sender.username, email: sender.email };
    await this.events.message(roomId, row);
    return row;
  }

  private async remove(tx: Db, room: MbRoom, post: MbPost, userId: number, username: string, ban: boolean): Promise<{ message: MessageRow; post: MbPost }> {
    await this.repo.deactivate(tx, room.id, userId, ban);
    await this.repo.recount(tx, post.id, room.id);
    return { message: await this.repo.insertSystemMessage(tx, room.id, leaveText(username)), post };
  }

  private async live(db: Db, roomId: number, lock = false): Promise<{ room: MbRoom; post: MbPost }> {
    const found = await this.repo.roomWithPost(db, roomId, lock);
    if (!found) throw new AppError('CHAT_ROOM_NOT_FOUND', 404);
    if (found.room.isDeleted) throw new AppError('CHAT_ROOM_DELETED', 410);
    return found;
  }

  private async payload(room: MbRoom, post: MbPost, page: { before?: number; limit?: number }, viewer: MbUser) {
    const limit = Math.min(Math.max(page.limit ?? HISTORY_DEFAULT, 1), HISTORY_MAX);
    // one extra row tells whether older messages remain
    const rows = await this.repo.messages(this.db, room.id, page.before, limit + 1);
    const hasMore = rows.length > limit;
    const messages = (hasMore ? rows.slice(1) : rows).map(messageJson);
    const found = (await this.repo.userBrief(this.db, post.writerId)) ?? { id: post.writerId, username: '', email: '' };
    const writer = { ...found, email: emailFor(viewer, found.id, found.email) };
    return {
      messages,
      title: post.title,
      target_number: post.targetNumber,
      join_number: post.joinNumber,
      writer,
      has_more: hasMore,
      next_before: hasMore && messages.length ? messages[0]!.id : null,
    };
  }
}

/**
 * A user's e-mail is shown to that user and to staff only; everyone else gets "" (the key stays,
 * so the shape does not change). Anyone could move to a victim's address and read the e-mails of
 * its writers and room members (issue 15 #4, docs/security.md).
 */
export function emailFor(viewer: { id: number; isStaff: boolean }, ownerId: number, email: string): string {
  return viewer.id === ownerId || viewer.isStaff ? email : '';
}
