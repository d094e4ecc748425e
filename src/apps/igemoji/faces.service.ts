// Photo → composite (docs/apps/igemoji.md §5.5–5.6, §6, §7). Upload checks the template and the image header,
// stores the photo and a queued task, enqueues the task id and answers 202. The compositing task
// (igemoji.jobs.ts, core/tasks) claims it under a lease, finds every face off the event loop,
// classifies each into the 7 template classes, composites the matching pictures, stores the
// result once and pushes progress over the hub. Polls and sockets only read (§11.4, §11.5, §11.7, §11.9).
import type { Logger } from 'pino';
import { AppError } from '../../core/errors.js';
import { message, type Lang } from '../../core/i18n/messages.js';
import type { JobQueue } from '../../core/queue/queue.js';
import type { RealtimeHub } from '../../core/realtime/hub.js';
import type { BlobStore } from '../../core/storage/storage.js';
import type { TaskContext, TaskEvent } from '../../core/tasks/task.js';
import type { FaceAnalyzer } from '../../core/vision/face-analyzer.js';
import { checkImage, IMAGE_EXT } from '../../core/vision/image-intake.js';
import { analysePhoto } from '../../core/vision/photo.js';
import { pageRequest } from '../../core/db/paging.js';
import { compositeFaces } from './compositor.js';
import type { EmojisRepository } from './emojis.repository.js';
import { PAGE_SIZE, type EmojisService } from './emojis.service.js';
import { BUILTIN_ALIAS } from './builtin.js';
import { classify, CONFIDENT_AT, EMOTIONS, type Emotion } from './expressions.js';
import type { FacesRepository, TaskView } from './faces.repository.js';
import type { IgemojiMetrics } from './igemoji.metrics.js';
import { clientStatus, failureCode, type IgemojiFace, type igemojiFaces } from './igemoji.table.js';
import { loadPicture } from './pictures.js';

export const COMPOSITE_JOB = 'igemoji.composite';
/** errors that no retry can fix: the task fails with this code at once */
export const FINAL_CODES = ['BAD_IMAGE', 'NO_FACE', 'TEMPLATE_NOT_FOUND'] as const;
/** task ids answer for a day (§7), then 404; the result stays on my page */
export const TASK_TTL_MS = 24 * 3600_000;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string) => UUID_RE.test(s);
export const taskTopic = (taskId: string) => `igemoji:task:${taskId}`;

export interface StoredFace {
  box: { x: number; y: number; width: number; height: number };
  score: number;
  roll: number;
  expression: Emotion;
  scores: Record<Emotion, number>;
  /** true once the owner picked the expression by hand */
  chosen?: boolean;
  /** where the picture was centred (between the eyes and the mouth), output pixels; not sent to clients */
  centre?: { x: number; y: number };
}

export type PollPayload = { ai_result: 'notyet' | 'done' | 'false'; status: string; task_id: string; [k: string]: unknown };

export interface FacesDeps {
  repo: FacesRepository;
  emojisRepo: EmojisRepository;
  emojis: EmojisService;
  store: BlobStore;
  queue: JobQueue;
  hub: RealtimeHub;
  analyzer: FaceAnalyzer;
  metrics: IgemojiMetrics;
  log: Logger;
  urlPrefix: string;
  /** faces one photo may yield (VISION_MAX_FACES) */
  maxFaces?: number;
  /** open tasks one user may have (UPLOAD_MAX_PENDING_PER_USER) */
  maxPendingPerUser: number;
}

/** seconds a client is told to wait: about one composite on a busy worker */
export const RETRY_AFTER_S = 10;
const tooManyPending = () => new AppError('TOO_MANY_PENDING_TASKS', 429, undefined, undefined, { 'retry-after': String(RETRY_AFTER_S) });

export class FacesService {
  constructor(private readonly d: FacesDeps) {}

  async upload(userId: number, body: Record<string, unknown>): Promise<{ task_id: string }> {
    const emojiId = Number(typeof body.emoji_id === 'string' ? body.emoji_id.trim() : body.emoji_id);
    if (body.emoji_id === undefined || body.emoji_id === '') throw new AppError('VALIDATION_ERROR', 400, { emoji_id: [{ kind: 'required' }] });
    if (!Number.isSafeInteger(emojiId) || emojiId < 1) throw new AppError('VALIDATION_ERROR', 400, { emoji_id: [{ kind: 'invalid_type', expected: 'integer' }] });
    const file = body.image;
    if (!Buffer.isBuffer(file) || file.length === 0) throw new AppError('IMAGE_REQUIRED', 400, { image: [{ kind: 'code', code: 'IMAGE_REQUIRED' }] });
    await this.d.emojis.activeOr404(emojiId);
    // header checks only (type 415, bytes 413, pixels 422): decoding is the worker's job
    const checked = await checkImage(file);
    // a cheap early answer that writes no blob; the locked check in createTask is the real one
    if ((await this.d.repo.openTasks(userId)) >= this.d.maxPendingPerUser) throw tooManyPending();
    const imageKey = await this.d.store.put(file, IMAGE_EXT[checked.type]);
    const face = await this.d.repo.createTask({ userId, emojiId, imageKey }, this.d.maxPendingPerUser);
    if (!face) {
      await this.d.store.delete(imageKey);
      throw tooManyPending();
    }
    try {
      await this.d.queue.enqueue(COMPOSITE_JOB, { taskId: face.taskId });
    } catch (err) {
      // the row is queued: the recovery sweep enqueues it again
      this.d.log.warn({ err, taskId: face.taskId }, 'enqueue failed; left for recovery');
    }
    await this.publish(face.taskId, { ai_result: 'notyet', status: 'queued' });
    return { task_id: face.taskId };
  }

  /** userId undefined: a poll without a token, where the unguessable task id is the key */
  async poll(userId: number | undefined, taskId: string, lang: Lang = 'ko'): Promise<PollPayload> {
    const view = await this.taskFor(userId, taskId);
    if (!view) throw new AppError('TASK_NOT_FOUND', 404);
    return this.payload(view, lang);
  }

  taskFor(userId: number | undefined, taskId: string): Promise<TaskView | undefined> {
    return isUuid(taskId) ? this.d.repo.taskOf(taskId, userId, TASK_TTL_MS) : Promise.resolve(undefined);
  }

  payload(view: TaskView, lang: Lang = 'ko'): PollPayload {
    const { face, result } = view;
    if (face.status === 'failed') {
      const code = failureCode(face.errorCode);
      return { ai_result: 'false', status: 'failed', task_id: face.taskId, reason: code, message: message(code, lang) };
    }
    if (face.status !== 'done' || !result) return { ai_result: 'notyet', status: clientStatus(face.status), task_id: face.taskId };
    const faces = (result.faces as StoredFace[]).map(({ centre: _centre, ...f }) => ({
      ...f,
      template_image: this.d.emojis.pictureUrl(result.emojiId, f.expression),
    }));
    const image = this.resultUrl(result.uuid);
    return {
      ai_result: 'done',
      status: 'done',
      task_id: face.taskId,
      id: result.id,
      user_id: result.userId,
      face_id: result.faceId,
      emoji_id: result.emojiId,
      image,
      download_url: `${image}?download=1`,
      width: result.width,
      height: result.height,
      faces,
      created_at: result.createdAt.toISOString(),
    };
  }

  /** my page, case 1 / result: what I produced, 8 per page, newest first */
  async myResults(userId: number, page: unknown) {
    const p = pageRequest(page, PAGE_SIZE, { size: PAGE_SIZE, max: PAGE_SIZE });
    const { rows, total } = await this.d.repo.resultsOf(userId, p.offset, p.pageSize);
    const items = rows.map((r) => ({
      id: r.result.id,
      name: r.emojiName,
      alias: r.builtinKey ? BUILTIN_ALIAS : (r.alias ?? ''),
      image: this.resultUrl(r.result.uuid),
      emoji_id: r.result.emojiId,
      faces: (r.result.faces as StoredFace[]).length,
      created_at: r.result.createdAt.toISOString(),
      total,
    }));
    return { items, total };
  }

  /**
   * The owner corrects the expression of faces[n] of a finished result: the composite is made again
   * from the uploaded photo with that face's picture swapped (the others keep theirs), and the poll
   * payload of the task answers with the new image.
   */
  async chooseExpression(userId: number, taskId: string, n: number, expression: Emotion, lang: Lang = 'ko'): Promise<PollPayload> {
    const view = isUuid(taskId) ? await this.d.repo.taskOf(taskId, userId) : undefined;
    if (!view) throw new AppError('TASK_NOT_FOUND', 404);
    const result = view.result;
    if (view.face.status !== 'done' || !result) throw new AppError('RESULT_NOT_READY', 409);
    const stored = result.faces as StoredFace[];
    if (!Number.isSafeInteger(n) || n < 0 || n >= stored.length) throw new AppError('FACE_NOT_FOUND', 404);
    const photo = await this.d.store.get(view.face.imageKey);
    const images = await this.d.emojisRepo.imagesOf(result.emojiId);
    if (!photo) throw new AppError('RESULT_NOT_FOUND', 404);
    if (!images) throw new AppError('TEMPLATE_NOT_FOUND', 404);
    const faces = stored.map((f, i) => (i === n ? { ...f, expression, chosen: true } : f));
    const pictures = new Map<Emotion, Buffer>();
    for (const f of faces) {
      if (pictures.has(f.expression)) continue;
      const png = await loadPicture(this.d.store, images[EMOTIONS.indexOf(f.expression)]!);
      if (!png) throw new AppError('TEMPLATE_NOT_FOUND', 404);
      pictures.set(f.expression, png);
    }
    const out = await compositeFaces({
      photo,
      // stored geometry is in the composite's pixels
      analysedWidth: result.width,
      faces: faces.map((f) => ({ geometry: { box: f.box, landmarks: [], rollDeg: f.roll, centre: f.centre }, picture: pictures.get(f.expression)! })),
    }).catch(() => {
      throw new AppError('BAD_IMAGE', 422);
    });
    const imageKey = await this.d.store.put(out.jpeg, 'jpg');
    const updated = await this.d.repo.replaceComposite(result.id, result.imageKey, { imageKey, faces });
    if (!updated) {
      await this.d.store.delete(imageKey);
      throw new AppError('RESULT_CHANGED', 409);
    }
    await this.d.store.delete(result.imageKey).catch(() => undefined);
    return this.payload({ face: view.face, result: updated }, lang);
  }

  async resultImage(uuid: string): Promise<{ body: Buffer; filename: string }> {
    const id = uuid.replace(/\.jpg$/, '');
    const row = isUuid(id) ? await this.d.repo.resultByUuid(id) : undefined;
    const body = row ? await this.d.store.get(row.imageKey) : null;
    if (!row || !body) throw new AppError('RESULT_NOT_FOUND', 404);
    return { body, filename: `IGE_MOJI_${row.id}.jpg` };
  }

  resultUrl(uuid: string): string {
    return `${this.d.urlPrefix}/api/v1/faces/results/images/${uuid}.jpg`;
  }

  /** The task's work, on a claimed task (core/tasks decides retries and failures). */
  async composite(ctx: TaskContext<typeof igemojiFaces, string>): Promise<void> {
    const face = ctx.row;
    const t0 = performance.now();
    const bytes = await this.d.store.get(face.imageKey);
    if (!bytes) throw new AppError('BAD_IMAGE', 422);
    const analysis = await analysePhoto(this.d.analyzer, bytes, { maxFaces: this.d.maxFaces }).catch((err: unknown) => {
      throw err instanceof AppError && err.code === 'INVALID_IMAGE' ? new AppError('BAD_IMAGE', 422) : err;
    });
    this.d.metrics.faces.observe(analysis.faces.length);
    if (analysis.faces.length === 0) throw new AppError('NO_FACE', 422);
    const classified = analysis.faces.map((f) => ({ face: f, cls: classify(f.expressions, CONFIDENT_AT) }));
    await ctx.publish({ type: 'progress', task_id: face.taskId, ai_result: 'notyet', status: 'processing', stage: 'compositing', faces: classified.length });

    const images = await this.d.emojisRepo.imagesOf(face.emojiId);
    if (!images) throw new AppError('TEMPLATE_NOT_FOUND', 404);
    const pictures = new Map<number, Buffer>();
    for (const { cls } of classified) {
      if (pictures.has(cls.index)) continue;
      const png = await loadPicture(this.d.store, images[cls.index]!);
      if (!png) throw new Error(`template ${face.emojiId} picture ${cls.index} missing`);
      pictures.set(cls.index, png);
    }
    const out = await compositeFaces({
      photo: bytes,
      analysedWidth: analysis.width,
      faces: classified.map(({ face: f, cls }) => ({ geometry: f, picture: pictures.get(cls.index)! })),
    }).catch(() => {
      throw new AppError('BAD_IMAGE', 422);
    });
    const scale = out.width / analysis.width;
    const stored: StoredFace[] = classified.map(({ face: f, cls }, i) => ({
      box: { x: r1(f.box.x * scale), y: r1(f.box.y * scale), width: r1(f.box.width * scale), height: r1(f.box.height * scale) },
      score: f.score,
      roll: r1(f.rollDeg),
      expression: cls.emotion,
      scores: cls.scores,
      centre: { x: r1(out.placements[i]!.cx), y: r1(out.placements[i]!.cy) },
    }));
    const imageKey = await this.d.store.put(out.jpeg, 'jpg');
    const done = await ctx.complete({
      write: (tx) =>
        this.d.repo.writeResult(tx, { faceId: face.id, userId: face.userId, emojiId: face.emojiId, imageKey, width: out.width, height: out.height, faces: stored }),
    });
    if (!done) {
      await this.d.store.delete(imageKey);
      return;
    }
    this.d.metrics.jobs.inc({ status: 'done' });
    this.d.metrics.duration.observe((performance.now() - t0) / 1000);
    for (const f of stored) this.d.metrics.expressions.inc({ emotion: f.expression });
  }

  /** a task failed, whatever the path: counted, and timed from its first start when it ran */
  countFailure(face: IgemojiFace): void {
    this.d.metrics.jobs.inc({ status: 'failed' });
    if (face.startedAt && face.finishedAt) this.d.metrics.duration.observe((face.finishedAt.getTime() - face.startedAt.getTime()) / 1000);
  }

  /** what the task's topic hears when it starts, ends, or fails (the poll answer's shapes) */
  async progress(face: IgemojiFace, event: TaskEvent): Promise<Record<string, unknown>> {
    const head = { type: 'progress', task_id: face.taskId };
    if (event === 'running') return { ...head, ai_result: 'notyet', status: 'processing', stage: 'detecting' };
    if (event === 'failed') {
      const code = failureCode(face.errorCode);
      return { ...head, ai_result: 'false', status: 'failed', reason: code, message: message(code, 'ko') };
    }
    const view = await this.d.repo.taskOf(face.taskId);
    return { ...head, ...(view ? this.payload(view) : { ai_result: 'done', status: 'done' }) };
  }

  private async publish(taskId: string, data: Record<string, unknown>): Promise<void> {
    await this.d.hub.publish(taskTopic(taskId), { type: 'progress', task_id: taskId, ...data }).catch((err: unknown) => {
      this.d.log.warn({ err, taskId }, 'progress event not published');
    });
  }
}

const r1 = (n: number) => Math.round(n * 10) / 10;
