import { and, asc, count, desc, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../../../core/db/client.js';
import { mbPosts } from '../posts/posts.table.js';
import { mbMenuTurns, mbMenuUsage } from './menu.table.js';

export const DAILY_LIMIT = 10;
/** turns kept per user (older ones are dropped, so the prompt stays bounded) */
export const MAX_TURNS = 20;

export class MenuRepository {
  constructor(private readonly db: Db) {}

  async turns(userId: number): Promise<Array<{ role: 'user' | 'assistant'; content: string }>> {
    const rows = await this.db
      .select({ role: mbMenuTurns.role, content: mbMenuTurns.content })
      .from(mbMenuTurns)
      .where(eq(mbMenuTurns.userId, userId))
      .orderBy(desc(mbMenuTurns.id))
      .limit(MAX_TURNS);
    return rows.reverse() as Array<{ role: 'user' | 'assistant'; content: string }>;
  }

  async append(userId: number, turns: Array<{ role: 'user' | 'assistant'; content: string }>): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.insert(mbMenuTurns).values(turns.map((t) => ({ userId, ...t })));
      await tx.execute(sql`
        delete from mealbuddy_menu_turns where user_id = ${userId} and id not in (
          select id from mealbuddy_menu_turns where user_id = ${userId} order by id desc limit ${MAX_TURNS})`);
    });
  }

  async clear(userId: number): Promise<void> {
    await this.db.delete(mbMenuTurns).where(eq(mbMenuTurns.userId, userId));
  }

  /** takes one of today's questions atomically; false when the day's quota is used up */
  async reserve(userId: number, day: string): Promise<boolean> {
    const rows = await this.db
      .insert(mbMenuUsage)
      .values({ userId, day, count: 1 })
      .onConflictDoUpdate({
        target: [mbMenuUsage.userId, mbMenuUsage.day],
        set: { count: sql`${mbMenuUsage.count} + 1` },
        setWhere: sql`${mbMenuUsage.count} < ${DAILY_LIMIT}`,
      })
      .returning({ count: mbMenuUsage.count });
    return rows.length === 1;
  }

  /** gives a question back when the upstream model failed (the user got no answer) */
  async refund(userId: number, day: string): Promise<void> {
    await this.db
      .update(mbMenuUsage)
      .set({ count: sql`greatest(${mbMenuUsage.count} - 1, 0)` })
      .where(and(eq(mbMenuUsage.userId, userId), eq(mbMenuUsage.day, day)));
  }

  async recentCategories(address: string, since: Date): Promise<Array<{ category: string; n: number }>> {
    const rows = await this.db
      .select({ category: mbPosts.category, n: count() })
      .from(mbPosts)
      .where(and(eq(mbPosts.address, address), gt(mbPosts.createdAt, since)))
      .groupBy(mbPosts.category)
      .orderBy(desc(count()), asc(mbPosts.category))
      .limit(5);
    return rows.map((r) => ({ category: r.category, n: Number(r.n) }));
  }
}
