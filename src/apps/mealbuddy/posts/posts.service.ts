// Posts of a neighbourhood (docs/apps/mealbuddy.md §4.2, §6): list scoped to the viewer's exact address, writer-only
// edit/delete (the original had no permission checks, §11.1), server-managed counters, the room
// and the writer's membership created in the post's own transaction, 4040 to sockets on delete.
// A post owns its room; what happens inside the room is chat's, reached through RoomChat.
import type { Db } from '../../../core/db/client.js';
import { AppError } from '../../../core/errors.js';
import type { SerializedReply } from '../../../core/http/serializer.js';
import type { CachedPost, MealbuddyCache } from '../mealbuddy.cache.js';
import type { MbUser } from '../users/users.table.js';
import { PAGE_SIZE, paginate, parsePage } from './paginator.js';
import { postJson } from './posts.json.js';
import type { PostRow, PostsRepository } from './posts.repository.js';
import { writeListReply, writePostWithJoined } from './posts.schemas.js';

/** What a post needs from the chat in its room (implemented by chat/, which depends on posts/). */
export interface RoomChat {
  /**
   * In the post's transaction: the writer becomes the room's first member. Resolves to the
   * announcement (the join notice on the room's sockets) to make once the transaction committed.
   */
  seatWriter(tx: Db, postId: number, roomId: number, writer: MbUser): Promise<() => Promise<void>>;
  /** the room's active members (a detail's is_joined) */
  memberIds(roomId: number): Promise<number[]>;
  /** the post and its room are gone: sockets in the room are closed (4040) */
  closed(roomId: number): Promise<void>;
}

export interface EditInput {
  title?: string;
  category?: string;
  content?: string;
  target_number?: number;
  is_compelete?: boolean;
}

export class PostsService {
  constructor(
    private readonly db: Db,
    private readonly posts: PostsRepository,
    private readonly chat: RoomChat,
    private readonly cache: MealbuddyCache,
  ) {}

  /** the list page as its reply's bytes (cached per neighbourhood until a post there changes) */
  /** the page's bytes: at once from the cache, else a promise of them */
  list(viewer: MbUser, q: { page?: string; category?: string; address?: string }): SerializedReply | Promise<SerializedReply> {
    // staff may look at another neighbourhood; everyone else sees exactly their own address (§6)
    const address = viewer.isStaff && q.address ? q.address : viewer.address;
    const category = q.category || undefined;
    const wanted = Math.max(parsePage(q.page), 1);
    const key = `${category ?? ''}\u0000${wanted}`;
    return this.cache.lists.peek(address, key) ?? this.cache.lists.get(address, key, () => this.loadList(address, category, wanted));
  }

  private async loadList(address: string, category: string | undefined, wanted: number): Promise<SerializedReply> {
    // counting past page+11 pages changes nothing in §5's formulas, so the count stops there
    const cap = Math.min((wanted + 11) * PAGE_SIZE, Number.MAX_SAFE_INTEGER);
    const first = await this.posts.pageWithCount(address, category, (wanted - 1) * PAGE_SIZE, PAGE_SIZE, cap);
    const { offset, limit, paginator } = paginate(wanted, first.total);
    // a page past the end is clamped to the last one: only then a second query
    const rows = offset === (wanted - 1) * PAGE_SIZE ? first.rows : await this.posts.page(address, category, offset, limit);
    return writeListReply({ posts: rows.map((r) => postJson(r)), paginator }); // lists carry no e-mail (issue 15 #4)
  }

  /** a post is readable in its own neighbourhood, by its members and by staff (§11.9); the reply's bytes */
  detail(viewer: MbUser, id: number): SerializedReply | Promise<SerializedReply> {
    const cached = this.cache.posts.peek(String(id));
    if (cached) return this.visible(viewer, cached);
    return this.cache.posts.get(String(id), '', () => this.loadPost(id)).then((p) => this.visible(viewer, p));
  }

  private visible(viewer: MbUser, p: CachedPost): SerializedReply {
    const isJoined = p.members.has(viewer.id);
    if (p.address !== viewer.address && !isJoined && p.writerId !== viewer.id && !viewer.isStaff) {
      throw new AppError('OTHER_NEIGHBOURHOOD', 403);
    }
    const bodies = p.writerId === viewer.id || viewer.isStaff ? p.withEmail : p;
    return isJoined ? bodies.joined : bodies.notJoined;
  }

  private async loadPost(id: number): Promise<CachedPost> {
    const p = await this.found(id);
    const members = p.chatId === null ? new Set<number>() : new Set(await this.chat.memberIds(p.chatId));
    const body = (isJoined: boolean, withEmail = false) => writePostWithJoined({ ...postJson(p, withEmail), is_joined: isJoined });
    return {
      id: p.id,
      address: p.address,
      writerId: p.writerId,
      members,
      joined: body(true),
      notJoined: body(false),
      withEmail: { joined: body(true, true), notJoined: body(false, true) },
    };
  }

  async editForm(viewer: MbUser, id: number) {
    const p = await this.found(id);
    if (p.writerId !== viewer.id) throw new AppError('NOT_POST_WRITER', 403);
    return postJson(p, true);
  }

  async write(writer: MbUser, input: { title: string; category: string; content: string; target_number: number }) {
    const { postId, announce } = await this.db.transaction(async (tx) => {
      const post = await this.posts.insert(tx, {
        title: input.title,
        category: input.category,
        content: input.content,
        targetNumber: input.target_number,
        writerId: writer.id,
        address: writer.address,
      });
      const room = await this.posts.createRoom(tx, post.id);
      return { postId: post.id, announce: await this.chat.seatWriter(tx, post.id, room.id, writer) };
    });
    this.cache.postChanged(postId, writer.address);
    await announce();
    return postJson((await this.posts.byId(postId))!, true);
  }

  async edit(viewer: MbUser, id: number, input: EditInput): Promise<SerializedReply> {
    const address = await this.db.transaction(async (tx) => {
      const post = await this.posts.lock(tx, id);
      if (!post) throw new AppError('POST_NOT_FOUND', 404);
      if (post.writerId !== viewer.id) throw new AppError('NOT_POST_WRITER', 403);
      if (input.target_number !== undefined && input.target_number < post.joinNumber) {
        throw new AppError('VALIDATION_ERROR', 400, { target_number: [{ kind: 'code', code: 'TARGET_BELOW_JOINED' }] });
      }
      const target = input.target_number ?? post.targetNumber;
      // an explicit toggle wins; otherwise a target lowered to the member count completes the post
      const complete = input.is_compelete ?? (input.target_number !== undefined && target === post.joinNumber ? true : undefined);
      await this.posts.update(tx, id, {
        ...(input.title !== undefined ? { title: input.title } : {}),
        ...(input.category !== undefined ? { category: input.category } : {}),
        ...(input.content !== undefined ? { content: input.content } : {}),
        ...(input.target_number !== undefined ? { targetNumber: input.target_number } : {}),
        ...(complete !== undefined ? { isCompelete: complete } : {}),
      });
      return post.address;
    });
    this.cache.postChanged(id, address);
    return this.detail(viewer, id);
  }

  async delete(viewer: MbUser, id: number): Promise<void> {
    const { roomId, address } = await this.db.transaction(async (tx) => {
      const post = await this.posts.lock(tx, id);
      if (!post) throw new AppError('POST_NOT_FOUND', 404);
      if (post.writerId !== viewer.id) throw new AppError('NOT_POST_WRITER', 403);
      const roomId = await this.posts.roomIdOf(tx, id);
      await this.posts.delete(tx, id);
      return { roomId, address: post.address };
    });
    this.cache.postChanged(id, address);
    if (roomId !== undefined) await this.chat.closed(roomId);
  }

  private async found(id: number): Promise<PostRow> {
    const p = await this.posts.byId(id);
    if (!p) throw new AppError('POST_NOT_FOUND', 404);
    return p;
  }
}
