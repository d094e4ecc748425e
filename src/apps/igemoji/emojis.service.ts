// Templates (docs/apps/igemoji.md §5.8) and their ranking (§8). Creation needs all 7 pictures (the original's
// front rule, now on the server), each normalised before anything is written (§11.9); deletion
// is the creator's only (§11.1); reads answer 200 with arrays (§11.11).
import type { Counters } from '../../core/limits/counters.js';
import { AppError } from '../../core/errors.js';
import { pageRequest } from '../../core/db/paging.js';
import type { BlobStore } from '../../core/storage/storage.js';
import { BUILTIN_ALIAS, BUILTIN_SETS, TWEMOJI_CREDIT } from './builtin.js';
import type { EmojiView, EmojisRepository, RankRow } from './emojis.repository.js';
import { EMOTIONS, PICTURE_FIELDS, type Emotion } from './expressions.js';
import { loadPicture, normalizePicture, twemojiKey } from './pictures.js';

export const PAGE_SIZE = 8;

export type EmojiJson = {
  id: number;
  user_id: number | null;
  name: string;
  alias: string;
  image: string[];
  images: Record<Emotion, string>;
  builtin: boolean;
  credit: string | null;
  created_at: string;
};

export class EmojisService {
  constructor(
    private readonly repo: EmojisRepository,
    private readonly store: BlobStore,
    private readonly urlPrefix: string,
    private readonly now: () => Date = () => new Date(),
    private readonly limits?: { counters: Counters; enabled: boolean; perHour: number; perUser: number },
  ) {}

  /**
   * 30 public templates in 3 s by one user pushed everyone else's off the first page (issue 15 #7):
   * IGEMOJI_TEMPLATES_PER_HOUR new ones per user per hour (429), IGEMOJI_TEMPLATES_PER_USER live ones (409).
   */
  private async allowTemplate(userId: number): Promise<void> {
    const l = this.limits;
    if (!l?.enabled) return;
    const rate = await l.counters.hit(`igemoji:templates:${userId}`, 3_600_000);
    if (rate.count > l.perHour) {
      throw new AppError('TEMPLATE_RATE_LIMITED', 429, undefined, undefined, { 'retry-after': String(Math.max(1, Math.ceil(rate.ttlMs / 1000))) });
    }
    if ((await this.repo.liveCountOf(userId)) >= l.perUser) throw new AppError('TEMPLATE_QUOTA_EXCEEDED', 409);
  }

  ensureBuiltins(): Promise<void> {
    return this.repo.ensureBuiltins(BUILTIN_SETS.map((s) => ({ key: s.key, name: s.name, images: s.codepoints.map(twemojiKey) })));
  }

  async create(userId: number, body: Record<string, unknown>): Promise<EmojiJson> {
    const name = typeof body.name === 'string' ? body.name.trim() : '';
    if (!name) throw new AppError('VALIDATION_ERROR', 400, { name: [{ kind: typeof body.name === 'string' ? 'blank' : 'required' }] });
    if (name.length > 200) throw new AppError('VALIDATION_ERROR', 400, { name: [{ kind: 'max_length', max: 200 }] });
    const files = PICTURE_FIELDS.map((f) => body[f]);
    const missing = PICTURE_FIELDS.filter((_, i) => !Buffer.isBuffer(files[i]) || (files[i] as Buffer).length === 0);
    if (missing.length) {
      throw new AppError('TEMPLATE_IMAGES_REQUIRED', 400, Object.fromEntries(missing.map((f) => [f, [{ kind: 'required' as const }]])));
    }
    await this.allowTemplate(userId);
    // every picture is checked and normalised before the first one is stored
    const pngs = [];
    for (const f of files) pngs.push((await normalizePicture(f as Buffer)).png);
    const keys: string[] = [];
    try {
      for (const png of pngs) keys.push(await this.store.put(png, 'png'));
      const id = await this.repo.insert({ userId, name, images: keys });
      return this.detail(id);
    } catch (err) {
      await Promise.all(keys.map((k) => this.store.delete(k).catch(() => undefined)));
      throw err;
    }
  }

  async detail(id: number): Promise<EmojiJson> {
    const v = await this.activeOr404(id);
    return this.toJson(v);
  }

  async activeOr404(id: number): Promise<EmojiView> {
    const v = Number.isSafeInteger(id) && id > 0 ? await this.repo.activeById(id) : undefined;
    if (!v) throw new AppError('TEMPLATE_NOT_FOUND', 404);
    return v;
  }

  /** one page (8, newest first); every entry carries the total, as the original's `count` did */
  async page(page: unknown, userId?: number): Promise<{ items: Array<EmojiJson & { count: number; total: number }>; total: number }> {
    const p = pageRequest(page, PAGE_SIZE, { size: PAGE_SIZE, max: PAGE_SIZE });
    const { rows, total } = await this.repo.page(p.offset, p.pageSize, userId);
    return { items: rows.map((r) => ({ ...this.toJson(r), count: total, total })), total };
  }

  async remove(id: number, userId: number): Promise<{ id: number; active: false }> {
    const outcome = Number.isSafeInteger(id) && id > 0 ? await this.repo.softDelete(id, userId) : 'missing';
    if (outcome === 'missing') throw new AppError('TEMPLATE_NOT_FOUND', 404);
    if (outcome === 'forbidden') throw new AppError('NOT_TEMPLATE_OWNER', 403);
    return { id, active: false };
  }

  async ranking(limit?: number) {
    const rows = await this.repo.ranking(this.now(), limit);
    return rows.map((r) => this.rankJson(r));
  }

  /** the picture of one class of an active template */
  async picture(id: number, which: string): Promise<Buffer> {
    const index = EMOTIONS.indexOf(which.replace(/\.png$/, '') as Emotion);
    const v = index >= 0 && Number.isSafeInteger(id) && id > 0 ? await this.repo.activeById(id) : undefined;
    const png = v ? await loadPicture(this.store, v.images[index]!) : null;
    if (!png) throw new AppError('TEMPLATE_NOT_FOUND', 404);
    return png;
  }

  pictureUrl(id: number, emotion: Emotion): string {
    return `${this.urlPrefix}/api/v1/emojis/${id}/images/${emotion}.png`;
  }

  toJson(v: EmojiView): EmojiJson {
    const urls = EMOTIONS.map((e) => this.pictureUrl(v.id, e));
    return {
      id: v.id,
      user_id: v.userId,
      name: v.name,
      alias: v.builtinKey ? BUILTIN_ALIAS : (v.alias ?? ''),
      image: urls,
      images: Object.fromEntries(EMOTIONS.map((e, i) => [e, urls[i]])) as Record<Emotion, string>,
      builtin: Boolean(v.builtinKey),
      credit: v.builtinKey ? TWEMOJI_CREDIT : null,
      created_at: v.createdAt.toISOString(),
    };
  }

  private rankJson(r: RankRow) {
    return {
      id: r.id,
      name: r.name,
      user: r.builtinKey ? BUILTIN_ALIAS : (r.alias ?? ''),
      image: this.pictureUrl(r.id, 'neutral'),
      cnt: r.cnt,
      builtin: Boolean(r.builtinKey),
      credit: r.builtinKey ? TWEMOJI_CREDIT : null,
    };
  }
}
