import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../core/db/client.js';
import { zodiacUsers, type ZodiacUser } from './zodiac.table.js';

export type DuplicateCase = 'username' | 'alias' | 'email';

export class UsersRepository {
  constructor(private readonly db: Db) {}

  async insert(values: { username: string; alias: string; email: string; passwordHash: string }): Promise<ZodiacUser> {
    const [row] = await this.db.insert(zodiacUsers).values(values).returning();
    return row!;
  }

  async byUsername(username: string): Promise<ZodiacUser | undefined> {
    const [row] = await this.db
      .select()
      .from(zodiacUsers)
      .where(sql`lower(${zodiacUsers.username}) = lower(${username})`)
      .limit(1);
    return row;
  }

  async byId(id: number): Promise<ZodiacUser | undefined> {
    const [row] = await this.db.select().from(zodiacUsers).where(eq(zodiacUsers.id, id)).limit(1);
    return row;
  }

  async taken(field: DuplicateCase, value: string): Promise<boolean> {
    const cond =
      field === 'alias'
        ? eq(zodiacUsers.alias, value)
        : sql`lower(${field === 'email' ? zodiacUsers.email : zodiacUsers.username}) = lower(${value})`;
    const rows = await this.db.select({ id: zodiacUsers.id }).from(zodiacUsers).where(cond).limit(1);
    return rows.length > 0;
  }
}
