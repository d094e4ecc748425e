// zodiac (seed 000, 십이지신으로 보는 운세): upload a face photo, see which of the twelve zodiac
// animals it resembles (entertainment, not science), plus daily fortunes, rankings, statistics,
// history and challenges. Owns the zodiac_* tables. Face analysis runs on the analyzer the
// container gives (worker threads), from the in-process queue or from BullMQ `worker` processes.
import type { AppFactory } from '../../core/core.js';
import { AnalysisRepository } from './analysis.repository.js';
import { userRoutes } from './analysis.routes.js';
import { AnalysisService } from './analysis.service.js';
import { StatsRepository } from './stats.repository.js';
import { StatsService } from './stats.service.js';
import { UsersRepository } from './users.repository.js';
import { publicRoutes } from './users.routes.js';
import { UsersService } from './users.service.js';
import { zodiacJobs } from './zodiac.jobs.js';
import { zodiacMessages } from './zodiac.messages.js';
import { ZODIAC_TABLES } from './zodiac.table.js';

export const createZodiacApp: AppFactory = (core) => {
  const urlPrefix = core.config.MADANG_APPS?.length === 1 ? '' : '/zodiac';
  const users = new UsersService(new UsersRepository(core.db), core.identity);
  const analysis = new AnalysisService({
    repo: new AnalysisRepository(core.db),
    store: core.storage.scoped('zodiac'),
    queue: core.queue,
    hub: core.hub,
    analyzer: requireAnalyzer(core.analyzer),
    log: core.logger.child({ app: 'zodiac' }),
    urlPrefix,
    maxPendingPerUser: core.config.UPLOAD_MAX_PENDING_PER_USER,
  });
  const stats = new StatsService(new StatsRepository(core.db), analysis);
  return {
    name: 'zodiac',
    migrations: ['zodiac'],
    routes: async (app) => {
      await app.register(publicRoutes(core, users, stats));
      await app.register(userRoutes(core, users, analysis, stats));
    },
    jobs: zodiacJobs({ db: core.db, hub: core.hub, analysis }),
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
};

function requireAnalyzer<T>(a: T | undefined): T {
  if (!a) throw new Error('zodiac needs a face analyzer: the container builds one when zodiac is selected');
  return a;
}
