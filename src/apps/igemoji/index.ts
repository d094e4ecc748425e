// igemoji (seed 001, IGE-MOJI 이게모지): users make emoji templates (7 pictures, one per
// expression), upload a photo, and get it back with every face covered by the template picture of
// that face's expression. Owns the igemoji_* tables. Face analysis runs on the analyzer the
// container gives (worker threads), from the in-process queue or from BullMQ `worker` processes.
// Built-in templates come from Twemoji (CC-BY 4.0).
import type { AppFactory } from '../../core/core.js';
import { EmojisRepository } from './emojis.repository.js';
import { emojisRoutes } from './emojis.routes.js';
import { EmojisService } from './emojis.service.js';
import { FacesRepository } from './faces.repository.js';
import { facesRoutes } from './faces.routes.js';
import { FacesService } from './faces.service.js';
import { igemojiJobs } from './igemoji.jobs.js';
import { igemojiMessages } from './igemoji.messages.js';
import { igemojiMetrics } from './igemoji.metrics.js';
import { IGEMOJI_TABLES } from './igemoji.table.js';
import { UsersRepository } from './users.repository.js';
import { usersRoutes } from './users.routes.js';
import { UsersService } from './users.service.js';

export const createIgemojiApp: AppFactory = (core) => {
  const urlPrefix = core.config.MADANG_APPS?.length === 1 ? '' : '/igemoji';
  const store = core.storage.scoped('igemoji');
  const users = new UsersService(new UsersRepository(core.db), core.identity);
  const emojisRepo = new EmojisRepository(core.db);
  const emojis = new EmojisService(emojisRepo, store, urlPrefix);
  const faces = new FacesService({
    repo: new FacesRepository(core.db),
    emojisRepo,
    emojis,
    store,
    queue: core.queue,
    hub: core.hub,
    analyzer: requireAnalyzer(core.analyzer),
    metrics: igemojiMetrics(core.metrics.registry),
    log: core.logger.child({ app: 'igemoji' }),
    urlPrefix,
    maxPendingPerUser: core.config.UPLOAD_MAX_PENDING_PER_USER,
  });
  return {
    name: 'igemoji',
    migrations: ['igemoji'],
    routes: async (app) => {
      app.addHook('onReady', () => emojis.ensureBuiltins());
      await app.register(usersRoutes(core, users, emojis, faces));
      await app.register(emojisRoutes(core, emojis));
      await app.register(facesRoutes(core, faces));
    },
    jobs: igemojiJobs({ db: core.db, hub: core.hub, faces }),
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
};

function requireAnalyzer<T>(a: T | undefined): T {
  if (!a) throw new Error('igemoji needs a face analyzer: the container builds one when igemoji is selected');
  return a;
}
