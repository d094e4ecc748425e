// Rankings, statistics, history and challenges (docs/apps/zodiac.md §8 with its fixes): windows are
// Seoul calendar days, only top-1 rows count, arrays everywhere, 200 [] when empty.
import { AppError } from '../../core/errors.js';
import { ANIMALS, animalById, animalByName } from './animals.js';
import { CHALLENGES, challengeById } from './challenges.js';
import { dailyFortune } from './fortune.js';
import type { StatsRepository } from './stats.repository.js';
import { lastSevenDays, parseDate, periodWindow, seoulDateOf, type Window } from './time.js';
import { clientStatus } from './zodiac.table.js';

export const HISTORY_PAGE_SIZE = 10;
const iso = (d: Date | string) => new Date(d).toISOString();

export interface Urls {
  pictureUrl(uuid: string): string;
  animalImageUrl(name: string): string;
}

export class StatsService {
  constructor(
    private readonly repo: StatsRepository,
    private readonly urls: Urls,
    private readonly now: () => Date = () => new Date(),
  ) {}

  animals() {
    const today = seoulDateOf(this.now());
    return ANIMALS.map((a) => ({
      id: a.id,
      name: a.name,
      name_ko: a.nameKo,
      element: a.element,
      description: a.description,
      fortune: a.fortune,
      great_url: this.urls.animalImageUrl(a.name),
      today: dailyFortune(a, today),
    }));
  }

  fortunes(date?: string) {
    const d = this.date(date);
    return ANIMALS.map((a) => dailyFortune(a, d));
  }

  fortune(name: string, date?: string) {
    const a = animalByName(name);
    if (!a) throw new AppError('ANIMAL_NOT_FOUND', 404);
    return dailyFortune(a, this.date(date));
  }

  async leaderboard() {
    const rows = await this.repo.leaderboard(lastSevenDays(this.now()), 10);
    return rows.map((r, i) => {
      const a = animalById(r.animal_id);
      // rank counts from 0 as the original's (its front end prints rank + 1); place from 1
      return { rank: i, place: i + 1, alias: r.alias, name: a.name, name_ko: a.nameKo, similarity: r.similarity, created_at: iso(r.created_at) };
    });
  }

  async popularity() {
    return this.counts(await this.repo.countsByAnimal(lastSevenDays(this.now())));
  }

  async userStatistics(userId: number, from?: string, to?: string) {
    let window: Window | undefined;
    if (from !== undefined || to !== undefined) {
      const f = parseDate(from ?? '');
      const t = parseDate(to ?? '');
      if (!f || !t) throw new AppError('INVALID_DATE', 400);
      if (f > t) throw new AppError('INVALID_PERIOD', 400);
      window = periodWindow(f, t);
    }
    return this.counts(await this.repo.countsByAnimal(window, userId));
  }

  async history(userId: number, pageParam: string) {
    if (!/^\d{1,7}$/.test(pageParam) || Number(pageParam) < 1) throw new AppError('INVALID_PAGE', 400);
    const page = Number(pageParam);
    const rows = await this.repo.history(userId, (page - 1) * HISTORY_PAGE_SIZE, HISTORY_PAGE_SIZE);
    return rows.map((r) => ({
      id: r.id,
      picuuid: r.uuid,
      picture_url: this.urls.pictureUrl(r.uuid),
      thumbnail_url: `${this.urls.pictureUrl(r.uuid)}/thumbnail`,
      created_at: iso(r.created_at),
      status: clientStatus(r.status),
      results: (r.results ?? []).map((x) => {
        const a = animalById(x.animal_id);
        return { rank: x.rank, name: a.name, name_ko: a.nameKo, similarity: x.similarity };
      }),
    }));
  }

  challenges() {
    return CHALLENGES.map((c) => ({ id: c.id, content: c.content }));
  }

  async userChallenges(userId: number) {
    const rows = await this.repo.userChallenges(userId);
    return rows.map((r) => ({ challenge_id: r.challenge_id, content: challengeById(r.challenge_id)?.content ?? '', created_at: iso(r.created_at) }));
  }

  async mypage(userId: number) {
    const rows = await this.repo.results(userId);
    return rows.map((r) => {
      const a = animalById(r.animal_id);
      return {
        id: r.id,
        similarity: r.similarity,
        rank: r.rank,
        created_at: iso(r.created_at),
        picture_id: { id: r.picture_id, picture_url: this.urls.pictureUrl(r.picture_uuid), user_id: r.user_uuid },
        great_id: { name: a.name, name_ko: a.nameKo, description: a.description, great_url: this.urls.animalImageUrl(a.name) },
      };
    });
  }

  private counts(rows: Array<{ animal_id: number; cnt: number }>) {
    return rows.map((r) => ({ kind: animalById(r.animal_id).name, name_ko: animalById(r.animal_id).nameKo, cnt: r.cnt }));
  }

  private date(date?: string): string {
    if (date === undefined || date === '') return seoulDateOf(this.now());
    const d = parseDate(date);
    if (!d) throw new AppError('INVALID_DATE', 400);
    return d;
  }
}
