// Photo → look-alike animal. Upload writes the picture and a queued task, then enqueues the task
// id; the analysis task (zodiac.jobs.ts, core/tasks) claims it under a lease, analyses the largest
// face off the event loop, and stores the top 3 with the challenges in the transaction that marks
// it done. Polling and the WebSocket only read the task row (docs/apps/zodiac.md §13.3–13.5).
import type { Logger } from 'pino';
import { AppError } from '../../core/errors.js';
import { message } from '../../core/i18n/messages.js';
import type { JobQueue } from '../../core/queue/queue.js';
import type { RealtimeHub } from '../../core/realtime/hub.js';
import type { BlobStore } from '../../core/storage/storage.js';
import type { TaskContext, TaskEvent } from '../../core/tasks/task.js';
import type { FaceAnalyzer } from '../../core/vision/face-analyzer.js';
import { intakeImage, mimeOfKey } from '../../core/vision/image-intake.js';
import type { AnalysisRepository, TaskView } from './analysis.repository.js';
import { clientStatus, failureCode, type ZodiacTask, type zodiacTasks } from './zodiac.table.js';
import { animalById } from './animals.js';
import { challengeById } from './challenges.js';
import { readLargestFace } from './face-reading.js';
import { score } from './scoring.js';

export const ANALYZE_JOB = 'zodiac.analyze';
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** notyet | result | failed (§7): `status` is always there, the rest depends on it */
export type PollPayload = { status: string; ai_result?: string; [key: string]: unknown };

export const isUuid = (s: string) => UUID_RE.test(s);
const isOpen = (status: string) => status === 'queued' || status === 'running';
export const taskTopic = (taskId: string) => `zodiac:task:${taskId}`;

/** errors that no retry can fix: the task fails with this code at once */
export const FINAL_CODES = ['INVALID_IMAGE', 'NO_FACE_DETECTED'] as const;

export interface AnalysisDeps {
  repo: AnalysisRepository;
  store: BlobStore;
  queue: JobQueue;
  hub: RealtimeHub;
  analyzer: FaceAnalyzer;
  log: Logger;
  /** '' when mounted alone, '/zodiac' otherwise: image URLs are built with it */
  urlPrefix: string;
  /** faces one photo may yield (VISION_MAX_FACES) */
  maxFaces?: number;
  /** open tasks one user may have (UPLOAD_MAX_PENDING_PER_USER) */
  maxPendingPerUser: number;
  /** how long a poll of an unfinished task waits for its end (ZODIAC_POLL_WAIT_MS; 0: not at all) */
  pollWaitMs?: number;
}

/** polls held at once per process at most; past it a poll answers at once */
export const MAX_HELD_POLLS = 1000;

/** seconds a client is told to wait: about one analysis on a busy worker */
export const RETRY_AFTER_S = 10;
const tooManyPending = () => new AppError('TOO_MANY_PENDING_TASKS', 429, undefined, undefined, { 'retry-after': String(RETRY_AFTER_S) });

export class AnalysisService {
  constructor(private readonly d: AnalysisDeps) {}

  async upload(userId: number, file: unknown): Promise<{ task_id: string; picuuid: string }> {
    if (!Buffer.isBuffer(file) || file.length === 0) throw new AppError('FILE_REQUIRED', 400, { filename: [{ kind: 'required' }] });
    // a cheap early answer that writes no blob; the locked check in createUpload is the real one
    if ((await this.d.repo.openTasks(userId)) >= this.d.maxPendingPerUser) throw tooManyPending();
    const image = await intakeImage(file);
    const originalKey = await this.d.store.put(image.original, image.ext);
    const thumbnailKey = await this.d.store.put(image.thumbnail, 'jpg');
    const created = await this.d.repo.createUpload(
      { userId, originalKey, thumbnailKey, mime: image.mime, width: image.width, height: image.height },
      this.d.maxPendingPerUser,
    );
    if (!created) {
      await Promise.all([this.d.store.delete(originalKey), this.d.store.delete(thumbnailKey)]);
      throw tooManyPending();
    }
    const { task, picture } = created;
    try {
      await this.d.queue.enqueue(ANALYZE_JOB, { taskId: task.id });
    } catch (err) {
      // the row is queued: the recovery sweep enqueues it again
      this.d.log.warn({ err, taskId: task.id }, 'enqueue failed; left for recovery');
    }
    await this.publish(task.id, { status: 'queued' });
    return { task_id: task.id, picuuid: picture.uuid };
  }

  private held = 0;

  /**
   * The task's answer. An unfinished task's poll is held until the task ends or `pollWaitMs` runs
   * out (then `notyet`): the original front end asks once, 2 s after the upload, and shows what
   * it gets — an analysis that takes longer (the first after a start, a busy worker) would leave
   * its page blank. The answer's shapes are unchanged.
   */
  async poll(userId: number, taskId: string): Promise<PollPayload> {
    const read = async () => {
      const view = isUuid(taskId) ? await this.d.repo.taskOf(taskId, userId) : undefined;
      if (!view) throw new AppError('TASK_NOT_FOUND', 404);
      return view;
    };
    let view = await read();
    const wait = this.d.pollWaitMs ?? 0;
    if (!isOpen(view.task.status) || wait <= 0 || this.held >= MAX_HELD_POLLS) return this.payload(view);
    this.held++;
    let listening: { done: Promise<boolean>; cancel(): void } | undefined;
    try {
      const ended = (d: unknown) => ['done', 'failed'].includes(String((d as { status?: unknown } | null)?.status));
      listening = await this.d.hub.listen(taskTopic(view.task.id), ended, wait);
      // read again once listening: an end between the first read and the subscription is seen here
      view = await read();
      if (isOpen(view.task.status)) {
        await listening.done;
        view = await read();
      }
    } finally {
      listening?.cancel();
      this.held--;
    }
    return this.payload(view);
  }

  /** the poll answer for a task (also the WebSocket's first message) */
  async payload(view: TaskView, lang: 'ko' | 'en' = 'ko'): Promise<PollPayload> {
    const { task, picture } = view;
    if (task.status === 'queued' || task.status === 'running') {
      return { ai_result: 'notyet', status: clientStatus(task.status), task_id: task.id };
    }
    if (task.status === 'failed') {
      const code = failureCode(task.errorCode);
      return { ai_result: 'false', status: 'failed', task_id: task.id, error: { code, message: message(code, lang) } };
    }
    const rows = await this.d.repo.resultsOf(picture.id);
    const ranking = rows.map((r) => {
      const a = animalById(r.animalId);
      return { rank: r.rank, name: a.name, name_ko: a.nameKo, similarity: r.similarity };
    });
    const challenge = task.challengeId ? challengeById(task.challengeId) : undefined;
    const detail = (task.detail ?? {}) as { explanation?: string; measurements?: unknown };
    return {
      result: Object.fromEntries(ranking.map((r) => [r.name, r.similarity])),
      userimage: this.pictureUrl(picture.uuid),
      thumbnail: `${this.pictureUrl(picture.uuid)}/thumbnail`,
      animalimage: ranking[0] ? this.animalImageUrl(ranking[0].name) : null,
      ranking,
      explanation: detail.explanation ?? '',
      measurements: detail.measurements ?? null,
      status: 'done',
      task_id: task.id,
      picuuid: picture.uuid,
      picture_id: picture.id,
      challenge_id: challenge ? challenge.id : 'NONE',
      challenge_content: challenge ? challenge.content : 'NONE',
    };
  }

  async taskForSocket(userId: number, taskId: string): Promise<TaskView | undefined> {
    return isUuid(taskId) ? this.d.repo.taskOf(taskId, userId) : undefined;
  }

  async picture(uuid: string, which: 'original' | 'thumbnail'): Promise<{ body: Buffer; mime: string }> {
    const pic = isUuid(uuid) ? await this.d.repo.pictureByUuid(uuid) : undefined;
    const key = pic ? (which === 'original' ? pic.originalKey : pic.thumbnailKey) : undefined;
    const body = key ? await this.d.store.get(key) : null;
    if (!key || !body) throw new AppError('PICTURE_NOT_FOUND', 404);
    return { body, mime: mimeOfKey(key) };
  }

  /** The task's work, on a claimed task (core/tasks decides retries and failures). */
  async analyze(ctx: TaskContext<typeof zodiacTasks, string>): Promise<void> {
    const taskId = ctx.key;
    const view = await this.d.repo.taskOf(taskId);
    const bytes = view ? await this.d.store.get(view.picture.originalKey) : null;
    if (!view || !bytes) throw new AppError('INVALID_IMAGE', 422);
    // the photo and its mirror image, averaged: a mirrored photo gets the same animal
    const { analysis, reading } = await readLargestFace(this.d.analyzer, bytes, { maxFaces: this.d.maxFaces });
    if (!reading) throw new AppError('NO_FACE_DETECTED', 422);
    const face = reading.face;
    const s = score(reading.measurements);
    const detail = { explanation: s.explanation, measurements: s.z, face: { box: face.box, score: face.score, roll: face.rollDeg }, faces: analysis.faces.length, ms: Math.round(analysis.ms) };
    await ctx.complete({
      set: { detail },
      write: (tx) =>
        this.d.repo.writeResults(tx, {
          taskId,
          userId: ctx.row.userId,
          pictureId: ctx.row.pictureId,
          top3: s.top3.map((r) => ({ rank: r.rank, animalId: r.animal.id, similarity: r.similarity })),
        }),
    });
  }

  /** what the task's topic hears when it starts, ends, or fails (the poll answer's shapes) */
  async progress(task: ZodiacTask, event: TaskEvent): Promise<Record<string, unknown>> {
    const head = { type: 'progress', task_id: task.id };
    if (event === 'running') return { ...head, status: 'analyzing' };
    if (event === 'failed') {
      const code = failureCode(task.errorCode);
      return { ...head, ai_result: 'false', status: 'failed', error: { code, message: message(code, 'ko') } };
    }
    const view = await this.d.repo.taskOf(task.id);
    return { ...head, ...(view ? await this.payload(view) : { status: 'done' }) };
  }

  pictureUrl(uuid: string): string {
    return `${this.d.urlPrefix}/api/v1/animals/pictures/${uuid}`;
  }

  animalImageUrl(name: string): string {
    return `${this.d.urlPrefix}/api/v1/animals/images/${name}.svg`;
  }

  private async publish(taskId: string, data: Record<string, unknown>): Promise<void> {
    await this.d.hub.publish(taskTopic(taskId), { type: 'progress', task_id: taskId, ...data }).catch((err: unknown) => {
      this.d.log.warn({ err, taskId }, 'progress event not published');
    });
  }
}
