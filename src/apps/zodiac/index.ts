// zodiac (seed 000, 십이지신으로 보는 운세): upload a face photo, see which of the twelve zodiac
// animals it resembles (entertainment, not science), plus daily fortunes, rankings, statistics,
// history and challenges. Owns the zodiac_* tables. Face analysis runs on the analyzer the
// container gives (worker threads), from the in-process queue or from BullMQ `worker` processes.
import { defineApp } from '../../core/core.js';
import { AnalysisRepository } from './analysis.repository.js';
import { userRoutes } from './analysis.routes.js';
import { AnalysisService } from './analysis.service.js';
import { StatsRepository } from './stats.repository.js';
import { StatsService } from './stats.service.js';
import { UsersRepository } from './users.repository.js';
import { publicRoutes } from './users.routes.js';
import { UsersService } from './users.service.js';
import { zodiacEnv } from './zodiac.config.js';
import { zodiacJobs } from './zodiac.jobs.js';
import { zodiacMessages } from './zodiac.messages.js';
import { ZODIAC_TABLES } from './zodiac.table.js';

export const zodiacApp = defineApp({
  name: 'zodiac',
  env: zodiacEnv,
  uses: ['db', 'identity', 'queue', 'hub', 'storage', 'logger', 'http', 'clock', 'analyzer'],
  create(ctx) {
    const urlPrefix = ctx.prefix;
    const users = new UsersService(new UsersRepository(ctx.db), ctx.identity);
    const analysis = new AnalysisService({
      repo: new AnalysisRepository(ctx.db),
      store: ctx.storage,
      queue: ctx.queue,
      hub: ctx.hub,
      analyzer: ctx.analyzer,
      log: ctx.logger,
      urlPrefix,
      maxPendingPerUser: ctx.config.UPLOAD_MAX_PENDING_PER_USER,
      maxFaces: ctx.config.VISION_MAX_FACES,
      pollWaitMs: ctx.config.ZODIAC_POLL_WAIT_MS,
    });
    const stats = new StatsService(new StatsRepository(ctx.db), analysis, () => ctx.clock.now());
    return {
      name: 'zodiac',
      migrations: ['zodiac'],
      routes: async (app) => {
        await app.register(publicRoutes(ctx, users, stats));
        await app.register(userRoutes(ctx, users, analysis, stats));
      },
      jobs: zodiacJobs({ db: ctx.db, hub: ctx.hub, analysis }),
      messages: zodiacMessages,
      tables: ZODIAC_TABLES,
      async seedDemo(password) {
        // the sign-up rules want 8–16 characters with a letter, a digit and a special character
        const fits = password.length <= 16 && /[A-Za-z]/.test(password) && /\d/.test(password) && /[^A-Za-z0-9]/.test(password);
        const pw = fits ? password : `${password.slice(0, 13)}!1a`;
        await users.signup({ username: 'demo', password: pw, email: 'demo@example.com', alias: '데모' }).catch(() => undefined);
        return fits ? 'user "demo"' : 'user "demo" (password: the demo password cut to 13 characters + "!1a")';
      },
    };
  },
});
