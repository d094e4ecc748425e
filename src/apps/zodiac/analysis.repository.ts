import { and, count, eq, sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../../core/db/client.js';
import { earnedChallenges } from './challenges.js';
import { zodiacPictures, zodiacResults, zodiacTasks, zodiacUserChallenges, type ZodiacPicture, type ZodiacTask } from './zodiac.table.js';

export interface TaskView {
  task: ZodiacTask;
  picture: ZodiacPicture;
}

export interface Completion {
  taskId: string;
  claims: number;
  userId: number;
  pictureId: number;
  top3: Array<{ rank: number; animalId: number; similarity: number }>;
  detail: unknown;
}

export class AnalysisRepository {
  constructor(private readonly db: Db) {}

  /** tasks of a user still queued or being analysed */
  async openTasks(userId: number): Promise<number> {
    const [row] = await this.db
      .select({ n: count() })
      .from(zodiacTasks)
      .where(and(eq(zodiacTasks.userId, userId), sql`${zodiacTasks.status} in ('pending', 'analyzing')`));
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
        .where(and(eq(zodiacTasks.userId, values.userId), sql`${zodiacTasks.status} in ('pending', 'analyzing')`));
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
   * Takes a task for analysis: pending, or analysing under a lease that ran out (its worker died).
   * Atomic, so two workers never analyse the same task at once.
   */
  async claim(taskId: string, leaseMs: number): Promise<ZodiacTask | undefined> {
    const [row] = await this.db
      .update(zodiacTasks)
      .set({
        status: 'analyzing',
        claims: sql`${zodiacTasks.claims} + 1`,
        leaseUntil: sql`now() + ${`${leaseMs} milliseconds`}::interval`,
      })
      .where(
        and(
          eq(zodiacTasks.id, taskId),
          sql`(${zodiacTasks.status} = 'pending' or (${zodiacTasks.status} = 'analyzing' and ${zodiacTasks.leaseUntil} < now()))`,
        ),
      )
      .returning();
    return row;
  }

  /** gives a claimed task back (a transient error: the retry claims it again) */
  async release(taskId: string, claims: number): Promise<void> {
    await this.db
      .update(zodiacTasks)
      .set({ status: 'pending', leaseUntil: null })
      .where(and(eq(zodiacTasks.id, taskId), eq(zodiacTasks.status, 'analyzing'), eq(zodiacTasks.claims, claims)));
  }

  /** marks a task failed unless it already finished; true when this call did it */
  async fail(taskId: string, code: string, claims?: number): Promise<boolean> {
    const rows = await this.db
      .update(zodiacTasks)
      .set({ status: 'failed', errorCode: code, leaseUntil: null, finishedAt: new Date() })
      .where(
        and(
          eq(zodiacTasks.id, taskId),
          sql`${zodiacTasks.status} in ('pending', 'analyzing')`,
          claims === undefined ? undefined : eq(zodiacTasks.claims, claims),
        ),
      )
      .returning({ id: zodiacTasks.id });
    return rows.length > 0;
  }

  /**
   * Stores the top 3 and grants challenges in one transaction, only if this claim still holds the
   * task. Returns the highest challenge newly granted (0 when none), or null when the claim was lost.
   */
  async complete(c: Completion): Promise<number | null> {
    return this.db.transaction(async (tx) => {
      const done = await tx
        .update(zodiacTasks)
        .set({ status: 'done', detail: c.detail, leaseUntil: null, finishedAt: new Date() })
        .where(and(eq(zodiacTasks.id, c.taskId), eq(zodiacTasks.status, 'analyzing'), eq(zodiacTasks.claims, c.claims)))
        .returning({ id: zodiacTasks.id });
      if (done.length === 0) return null;
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
    });
  }

  /** tasks to (re-)enqueue: pending, or analysing with a lease that ran out */
  async recoverable(limit = 500): Promise<Array<{ id: string; claims: number; status: string }>> {
    return this.db
      .select({ id: zodiacTasks.id, claims: zodiacTasks.claims, status: zodiacTasks.status })
      .from(zodiacTasks)
      .where(
        sql`${zodiacTasks.status} = 'pending' or (${zodiacTasks.status} = 'analyzing' and ${zodiacTasks.leaseUntil} < now())`,
      )
      .orderBy(zodiacTasks.createdAt)
      .limit(limit);
  }
}
