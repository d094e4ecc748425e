import { eq, sql, type WithSubquery } from 'drizzle-orm';
import type { Db } from '../../../core/db/client.js';
import { mbAddressChanges } from './address-changes.table.js';
import { mbUsers, type MbUser } from './users.table.js';

export class UsersRepository {
  constructor(private readonly db: Db) {}

  async insert(values: { email: string; username: string; passwordHash: string; address: string; lat?: number; lon?: number }): Promise<MbUser> {
    const [row] = await this.db.insert(mbUsers).values(values).returning();
    return row!;
  }

  async byId(id: number): Promise<MbUser | undefined> {
    const [row] = await this.db.select().from(mbUsers).where(eq(mbUsers.id, id)).limit(1);
    return row;
  }

  async byEmail(email: string): Promise<MbUser | undefined> {
    const [row] = await this.db.select().from(mbUsers).where(eq(mbUsers.email, email)).limit(1);
    return row;
  }

  async update(id: number, values: Partial<Pick<MbUser, 'username' | 'address' | 'lat' | 'lon' | 'passwordHash' | 'isActive' | 'lastLogin'>>, db: Db = this.db): Promise<MbUser> {
    const [row] = await db
      .update(mbUsers)
      .set({ ...values, updatedAt: sql`now()` })
      .where(eq(mbUsers.id, id))
      .returning();
    return row!;
  }

  /**
   * A login's write of the user's row (`values`: last_login, a rehashed password), as a CTE for
   * Identity.login: the row and the new session are written by one statement, so one commit (on the
   * embedded database every commit is an fsync that holds the event loop, docs/performance.md).
   */
  loginWrite(id: number, values: Partial<Pick<MbUser, 'passwordHash' | 'lastLogin'>>): WithSubquery {
    return this.db.$with('login_user').as(this.db.update(mbUsers).set({ ...values, updatedAt: sql`now()` }).where(eq(mbUsers.id, id)).returning({ id: mbUsers.id }));
  }

  /**
   * update() that records a change of address in mealbuddy_address_changes, in the same
   * transaction: the old address is the row's (locked), not the caller's possibly cached copy.
   */
  async updateRecordingMove(id: number, values: Partial<Pick<MbUser, 'username' | 'address' | 'lat' | 'lon'>>): Promise<{ user: MbUser; from?: string }> {
    return this.db.transaction(async (tx) => {
      const [before] = await tx.select({ address: mbUsers.address }).from(mbUsers).where(eq(mbUsers.id, id)).for('update');
      const [row] = await tx
        .update(mbUsers)
        .set({ ...values, updatedAt: sql`now()` })
        .where(eq(mbUsers.id, id))
        .returning();
      if (!before || !row || before.address === row.address) return { user: row! };
      await tx.insert(mbAddressChanges).values({ userId: id, oldAddress: before.address, newAddress: row.address });
      return { user: row, from: before.address };
    });
  }
}
