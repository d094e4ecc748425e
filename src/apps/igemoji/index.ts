// igemoji (seed 001, IGE-MOJI 이게모지): users make emoji templates (7 pictures, one per
// expression), upload a photo, and get it back with every face covered by the template picture of
// that face's expression. Owns the igemoji_* tables. Face analysis runs on the analyzer the
// container gives (worker threads), from the in-process queue or from BullMQ `worker` processes. Built-in
// templates come from Twemoji (CC-BY 4.0).
import { defineApp } from '../../core/core.js';
import { EmojisRepository } from './emojis.repository.js';
import { emojisRoutes } from './emojis.routes.js';
import { EmojisService } from './emojis.service.js';
import { FacesRepository } from './faces.repository.js';
import { facesRoutes } from './faces.routes.js';
import { FacesService } from './faces.service.js';
import { igemojiEnv } from './igemoji.config.js';
import { igemojiJobs } from './igemoji.jobs.js';
import { igemojiMessages } from './igemoji.messages.js';
import { igemojiMetrics } from './igemoji.metrics.js';
import { IGEMOJI_TABLES } from './igemoji.table.js';
import { UsersRepository } from './users.repository.js';
import { usersRoutes } from './users.routes.js';
import { UsersService } from './users.service.js';

export const igemojiApp = defineApp({
  name: 'igemoji',
  env: igemojiEnv,
  uses: ['db', 'identity', 'queue', 'hub', 'storage', 'logger', 'metrics', 'http', 'clock', 'analyzer'],
  create(ctx) {
    const urlPrefix = ctx.prefix;
    const store = ctx.storage;
    const users = new UsersService(new UsersRepository(ctx.db), ctx.identity);
    const emojisRepo = new EmojisRepository(ctx.db);
    const emojis = new EmojisService(emojisRepo, store, urlPrefix, () => ctx.clock.now(), {
      counters: ctx.http.counters,
      enabled: ctx.http.limitsEnabled,
      perHour: ctx.config.IGEMOJI_TEMPLATES_PER_HOUR,
      perUser: ctx.config.IGEMOJI_TEMPLATES_PER_USER,
    });
    const faces = new FacesService({
      repo: new FacesRepository(ctx.db),
      emojisRepo,
      emojis,
      store,
      queue: ctx.queue,
      hub: ctx.hub,
      analyzer: ctx.analyzer,
      metrics: igemojiMetrics(ctx.metrics),
      log: ctx.logger,
      urlPrefix,
      maxPendingPerUser: ctx.config.UPLOAD_MAX_PENDING_PER_USER,
      maxFaces: ctx.config.VISION_MAX_FACES,
    });
    return {
      name: 'igemoji',
      migrations: ['igemoji'],
      routes: async (app) => {
        app.addHook('onReady', () => emojis.ensureBuiltins());
        await app.register(usersRoutes(ctx, users, emojis, faces));
        await app.register(emojisRoutes(ctx, emojis));
        await app.register(facesRoutes(ctx, faces));
      },
      jobs: igemojiJobs({ db: ctx.db, hub: ctx.hub, faces }),
      messages: igemojiMessages,
      // the original's clients read a top-level `message`; the envelope stays as the house defines it
      errorDecorator: (body) => ({ ...body, message: body.error.message }),
      tables: IGEMOJI_TABLES,
      async seedDemo(password) {
        const fits = password.length <= 25 && /[A-Za-z]/.test(password) && /\d/.test(password) && /[!@#$%^*+=-]/.test(password);
        const pw = fits ? password : `${password.slice(0, 21)}!1a`;
        await users.signup({ email: 'demo@example.com', password: pw, alias: 'demo' }).catch(() => undefined);
        await emojis.ensureBuiltins();
        return fits ? 'user demo@example.com' : 'user demo@example.com (password: the demo password cut to 21 characters + "!1a")';
      },
    };
  },
});
