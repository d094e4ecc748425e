import { eq, type WithSubquery } from 'drizzle-orm';
import type { Db } from '../../core/db/client.js';
import { authUsers, type AuthUser } from './auth.table.js';

export class AuthRepository {
  constructor(private readonly db: Db) {}

  async insert(values: { username: string; passwordHash: string; nickname: string }): Promise<AuthUser> {
    const [row] = await this.db.insert(authUsers).values(values).returning();
    return row!;
  }

  async byUsername(username: string): Promise<AuthUser | undefined> {
    const [row] = await this.db.select().from(authUsers).where(eq(authUsers.username, username)).limit(1);
    return row;
  }

  async byId(id: number): Promise<AuthUser | undefined> {
    const [row] = await this.db.select().from(authUsers).where(eq(authUsers.id, id)).limit(1);
    return row;
  }

  /** a login's write of the user's row, as a CTE for Identity.login: one statement, one commit */
  loginWrite(id: number, newHash?: string): WithSubquery {
    return this.db
      .$with('login_user')
      .as(this.db.update(authUsers).set({ lastLogin: new Date(), ...(newHash ? { passwordHash: newHash } : {}) }).where(eq(authUsers.id, id)).returning({ id: authUsers.id }));
  }
}
