import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../../core/db/client.js';
import type { Window } from './time.js';

export interface TopRow {
  alias: string;
  animal_id: number;
  similarity: number;
  created_at: Date | string;
}

export interface HistoryRow {
  id: number;
  uuid: string;
  created_at: Date | string;
  status: string | null;
  results: Array<{ rank: number; animal_id: number; similarity: number }> | null;
}

export interface ResultRow {
  id: number;
  similarity: number;
  rank: number;
  animal_id: number;
  picture_id: number;
  picture_uuid: string;
  user_uuid: string;
  created_at: Date | string;
}

const inWindow = (w?: Window) =>
  w ? sql`and r.created_at >= ${w.from.toISOString()}::timestamptz and r.created_at < ${w.to.toISOString()}::timestamptz` : sql``;

export class StatsRepository {
  constructor(private readonly db: Db) {}

  /** best top-1 row per user in the window, best first, ties by the earlier row */
  async leaderboard(w: Window, limit: number): Promise<TopRow[]> {
    return rowsOf<TopRow>(
      await this.db.execute(sql`
        select alias, animal_id, similarity, created_at from (
          select distinct on (r.user_id) u.alias, r.animal_id, r.similarity, r.created_at, r.id
          from zodiac_results r join zodiac_users u on u.id = r.user_id
          where r.rank = 1 ${inWindow(w)}
          order by r.user_id, r.similarity desc, r.created_at asc, r.id asc
        ) best
        order by similarity desc, created_at asc, id asc
        limit ${limit}`),
    );
  }

  /** top-1 results per animal (of one user, or of everyone) */
  async countsByAnimal(w?: Window, userId?: number): Promise<Array<{ animal_id: number; cnt: number }>> {
    return rowsOf<{ animal_id: number; cnt: number }>(
      await this.db.execute(sql`
        select r.animal_id, count(*)::int as cnt from zodiac_results r
        where r.rank = 1 ${userId === undefined ? sql`` : sql`and r.user_id = ${userId}`} ${inWindow(w)}
        group by r.animal_id
        order by cnt desc, r.animal_id asc`),
    );
  }

  async history(userId: number, offset: number, limit: number): Promise<HistoryRow[]> {
    return rowsOf<HistoryRow>(
      await this.db.execute(sql`
        select p.id, p.uuid, p.created_at, t.status,
          (select json_agg(json_build_object('rank', r.rank, 'animal_id', r.animal_id, 'similarity', r.similarity) order by r.rank)
             from zodiac_results r where r.picture_id = p.id) as results
        from zodiac_pictures p left join zodiac_tasks t on t.picture_id = p.id
        where p.user_id = ${userId}
        order by p.created_at desc, p.id desc
        offset ${offset} limit ${limit}`),
    );
  }

  async userChallenges(userId: number): Promise<Array<{ challenge_id: number; created_at: Date | string }>> {
    return rowsOf<{ challenge_id: number; created_at: Date | string }>(
      await this.db.execute(sql`
        select challenge_id, created_at from zodiac_user_challenges where user_id = ${userId} order by challenge_id`),
    );
  }

  /** every result row of the user (3 per photo), oldest first, as the original mypage */
  async results(userId: number): Promise<ResultRow[]> {
    return rowsOf<ResultRow>(
      await this.db.execute(sql`
        select r.id, r.similarity, r.rank, r.animal_id, r.picture_id, p.uuid as picture_uuid, u.uuid as user_uuid, r.created_at
        from zodiac_results r
        join zodiac_pictures p on p.id = r.picture_id
        join zodiac_users u on u.id = r.user_id
        where r.user_id = ${userId}
        order by r.created_at asc, r.picture_id asc, r.rank asc`),
    );
  }
}
