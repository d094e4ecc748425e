import { and, count, eq, sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../../core/db/client.js';
import { openWhere } from '../../core/tasks/columns.js';
import { earnedChallenges } from './challenges.js';
import { zodiacPictures, zodiacResults, zodiacTasks, zodiacUserChallenges, type ZodiacPicture, type ZodiacTask } from './zodiac.table.js';

export interface TaskView {
  task: ZodiacTask;
  picture: ZodiacPicture;
}

export interface Completion {
  taskId: string;
  userId: number;
  pictureId: number;
  top3: Array<{ rank: number; animalId: number; similarity: number }>;
}

export class AnalysisRepository {
  constructor(private readonly db: Db) {}

  /** tasks of a user still queued or being analysed */
  async openTasks(userId: number): Promise<number> {
    const [row] = await this.db
      .select({ n: count() })
      .from(zodiacTasks)
      .where(and(eq(zodiacTasks.userId, userId), openWhere(zodiacTasks.status)));
    return Number(row?.n ?? 0);
  }

  /**
   * The picture and its pending task, in one transaction, unless the user already has `maxOpen`
   * open tasks (undefined). A per-user transaction lock serialises one user's concurrent uploads,
   * so the count cannot be read stale by two of them at once.
   */
  async createUpload(values: Omit<typeof zodiacPictures.$inferInsert, 'id' | 'uuid' | 'createdAt'>, maxOpen: number): Promise<TaskView | undefined> {
    return this.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`zodiac.upload:${values.userId}`}))`);
      const [open] = await tx
        .select({ n: count() })
        .from(zodiacTasks)
        .where(and(eq(zodiacTasks.userId, values.userId), openWhere(zodiacTasks.status)));
      if (Number(open?.n ?? 0) >= maxOpen) return undefined;
      const [picture] = await tx.insert(zodiacPictures).values(values).returning();
      const [task] = await tx.insert(zodiacTasks).values({ userId: values.userId, pictureId: picture!.id }).returning();
      return { task: task!, picture: picture! };
    });
  }

  async taskOf(taskId: string, userId?: number): Promise<TaskView | undefined> {
    const [row] = await this.db
      .select({ task: zodiacTasks, picture: zodiacPictures })
      .from(zodiacTasks)
      .innerJoin(zodiacPictures, eq(zodiacPictures.id, zodiacTasks.pictureId))
      .where(userId === undefined ? eq(zodiacTasks.id, taskId) : and(eq(zodiacTasks.id, taskId), eq(zodiacTasks.userId, userId)))
      .limit(1);
    return row;
  }

  async pictureByUuid(uuid: string): Promise<ZodiacPicture | undefined> {
    const [row] = await this.db.select().from(zodiacPictures).where(eq(zodiacPictures.uuid, uuid)).limit(1);
    return row;
  }

  async resultsOf(pictureId: number): Promise<Array<{ rank: number; animalId: number; similarity: number }>> {
    return this.db
      .select({ rank: zodiacResults.rank, animalId: zodiacResults.animalId, similarity: zodiacResults.similarity })
      .from(zodiacResults)
      .where(eq(zodiacResults.pictureId, pictureId))
      .orderBy(zodiacResults.rank);
  }

  /**
   * Stores the top 3 and grants challenges, inside the transaction that marks the task done (the
   * task's complete()). Returns the highest challenge newly granted (0 when none).
   */
  async writeResults(tx: Db, c: Completion): Promise<number> {
    await tx
      .insert(zodiacResults)
      .values(c.top3.map((r) => ({ userId: c.userId, pictureId: c.pictureId, ...r })))
      .onConflictDoNothing();
    const [counts] = rowsOf<{ analysed: number; animals: number }>(
      await tx.execute(sql`select
        (select count(*)::int from zodiac_tasks where user_id = ${c.userId} and status = 'done') as analysed,
        (select count(distinct animal_id)::int from zodiac_results where user_id = ${c.userId} and rank = 1) as animals`),
    );
    const earned = earnedChallenges(counts?.analysed ?? 0, counts?.animals ?? 0);
    if (earned.length === 0) return 0;
    const granted = await tx
      .insert(zodiacUserChallenges)
      .values(earned.map((challengeId) => ({ userId: c.userId, challengeId })))
      .onConflictDoNothing()
      .returning({ challengeId: zodiacUserChallenges.challengeId });
    const best = Math.max(0, ...granted.map((g) => g.challengeId));
    if (best > 0) await tx.update(zodiacTasks).set({ challengeId: best }).where(eq(zodiacTasks.id, c.taskId));
    return best;
  }
}
