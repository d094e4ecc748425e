import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../core/db/client.js';
import { igemojiUsers, type IgemojiUser } from './igemoji.table.js';

export class UsersRepository {
  constructor(private readonly db: Db) {}

  async insert(values: { email: string; alias: string; passwordHash: string }): Promise<IgemojiUser> {
    const [row] = await this.db.insert(igemojiUsers).values(values).returning();
    return row!;
  }

  async byEmail(email: string): Promise<IgemojiUser | undefined> {
    const [row] = await this.db.select().from(igemojiUsers).where(sql`lower(${igemojiUsers.email}) = lower(${email})`).limit(1);
    return row;
  }

  async byAlias(alias: string): Promise<IgemojiUser | undefined> {
    const [row] = await this.db.select().from(igemojiUsers).where(eq(igemojiUsers.alias, alias)).limit(1);
    return row;
  }

  async byId(id: number): Promise<IgemojiUser | undefined> {
    const [row] = await this.db.select().from(igemojiUsers).where(eq(igemojiUsers.id, id)).limit(1);
    return row;
  }
}
