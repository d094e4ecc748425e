import { and, count, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../core/db/client.js';
import { openWhere } from '../../core/tasks/columns.js';
import { igemojiEmojis, igemojiFaces, igemojiResults, igemojiUsers, type IgemojiFace, type IgemojiResult } from './igemoji.table.js';

export interface TaskView {
  face: IgemojiFace;
  result: IgemojiResult | null;
}

export interface Completion {
  faceId: number;
  userId: number;
  emojiId: number;
  imageKey: string;
  width: number;
  height: number;
  faces: unknown;
}

/** counted against the per-user limit: everything not finished, whatever its lease */
const OPEN_OF_USER = openWhere(igemojiFaces.status);

export class FacesRepository {
  constructor(private readonly db: Db) {}

  /** tasks of a user still queued or being processed */
  async openTasks(userId: number): Promise<number> {
    const [row] = await this.db.select({ n: count() }).from(igemojiFaces).where(and(eq(igemojiFaces.userId, userId), OPEN_OF_USER));
    return Number(row?.n ?? 0);
  }

  /**
   * A pending task, unless the user already has `maxOpen` open ones (undefined). A per-user
   * transaction lock serialises one user's concurrent uploads, so two cannot both read a stale count.
   */
  async createTask(values: { userId: number; emojiId: number; imageKey: string }, maxOpen: number): Promise<IgemojiFace | undefined> {
    return this.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`igemoji.upload:${values.userId}`}))`);
      const [open] = await tx.select({ n: count() }).from(igemojiFaces).where(and(eq(igemojiFaces.userId, values.userId), OPEN_OF_USER));
      if (Number(open?.n ?? 0) >= maxOpen) return undefined;
      const [row] = await tx.insert(igemojiFaces).values(values).returning();
      return row;
    });
  }

  /** a task younger than `maxAgeMs`, optionally only if it belongs to `userId` */
  async taskOf(taskId: string, userId?: number, maxAgeMs?: number): Promise<TaskView | undefined> {
    const [row] = await this.db
      .select({ face: igemojiFaces, result: igemojiResults })
      .from(igemojiFaces)
      .leftJoin(igemojiResults, eq(igemojiResults.faceId, igemojiFaces.id))
      .where(
        and(
          eq(igemojiFaces.taskId, taskId),
          userId === undefined ? undefined : eq(igemojiFaces.userId, userId),
          maxAgeMs === undefined ? undefined : sql`${igemojiFaces.createdAt} > now() - ${`${maxAgeMs} milliseconds`}::interval`,
        ),
      )
      .limit(1);
    return row;
  }

  /** the composite, inside the transaction that marks the task done (the task's complete()) */
  async writeResult(tx: Db, c: Completion): Promise<void> {
    await tx
      .insert(igemojiResults)
      .values({ userId: c.userId, faceId: c.faceId, emojiId: c.emojiId, imageKey: c.imageKey, width: c.width, height: c.height, faces: c.faces })
      .onConflictDoNothing();
  }

  /**
   * A re-composited result: new image and faces, and a new uuid (the old image URL stops
   * answering, so no cache shows the old picture). Only if the image is still `fromKey`: of two
   * overrides at once, the second gets undefined instead of silently undoing the first.
   */
  async replaceComposite(resultId: number, fromKey: string, to: { imageKey: string; faces: unknown }): Promise<IgemojiResult | undefined> {
    const [row] = await this.db
      .update(igemojiResults)
      .set({ imageKey: to.imageKey, faces: to.faces, uuid: sql`gen_random_uuid()` })
      .where(and(eq(igemojiResults.id, resultId), eq(igemojiResults.imageKey, fromKey)))
      .returning();
    return row;
  }

  async resultByUuid(uuid: string): Promise<IgemojiResult | undefined> {
    const [row] = await this.db.select().from(igemojiResults).where(eq(igemojiResults.uuid, uuid)).limit(1);
    return row;
  }

  /** my results, newest first; results of deleted templates are left out, as the original did */
  async resultsOf(userId: number, offset: number, limit: number) {
    const where = and(eq(igemojiResults.userId, userId), eq(igemojiEmojis.active, true));
    const rows = await this.db
      .select({ result: igemojiResults, emojiName: igemojiEmojis.name, builtinKey: igemojiEmojis.builtinKey, alias: igemojiUsers.alias })
      .from(igemojiResults)
      .innerJoin(igemojiEmojis, eq(igemojiEmojis.id, igemojiResults.emojiId))
      .leftJoin(igemojiUsers, eq(igemojiUsers.id, igemojiEmojis.userId))
      .where(where)
      .orderBy(desc(igemojiResults.id))
      .limit(limit)
      .offset(offset);
    const [c] = await this.db
      .select({ n: count() })
      .from(igemojiResults)
      .innerJoin(igemojiEmojis, eq(igemojiEmojis.id, igemojiResults.emojiId))
      .where(where);
    return { rows, total: Number(c?.n ?? 0) };
  }
}
