// One entry, five commands: serve (default) | worker | migrate | seed-demo | import.
import { buildApp } from './app.js';
import { createContainer, type Container } from './container.js';
import { loadSettings } from './apps/registry.js';
import { ConfigError, type Config } from './core/config.js';
import { DataDirLockedError } from './core/db/data-dir-lock.js';
import { schedulePurge } from './core/identity/identity.jobs.js';

async function main(argv: string[]): Promise<void> {
  const command = argv[0] ?? 'serve';
  // everything this process creates (database files, uploads, logs, secrets) is private to its
  // user, whatever umask it was started with
  process.umask(0o077);
  let config: Config;
  try {
    config = loadSettings();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  switch (command) {
    case 'serve':
      return serve(config);
    case 'worker':
      return worker(config);
    case 'migrate': {
      const c = await createContainer(config);
      c.core.logger.info('migrations applied');
      await c.close();
      return;
    }
    case 'seed-demo': {
      const c = await createContainer(config);
      const { seedDemo } = await import('./seed-demo.js');
      await seedDemo(c);
      await c.close();
      return;
    }
    case 'import': {
      const { importCommand } = await import('./import/cli.js');
      process.exitCode = await importCommand(argv.slice(1), config);
      return;
    }
    default:
      process.stderr.write(`unknown command "${command}". Use: serve | worker | migrate | seed-demo | import\n`);
      process.exit(2);
  }
}

async function serve(config: Config): Promise<void> {
  const container = await createContainer(config);
  // the face models load in their thread while the HTTP app is built and the queue starts
  if (config.runWorkersInProcess) warmVision(container);
  const app = await buildApp(container);
  if (config.runWorkersInProcess) await container.core.queue.startWorkers();
  const stopPurge = schedulePurge(container.core.queue);
  onShutdown(container, async () => {
    stopPurge();
    await app.close();
  });
  await app.listen({ host: config.HOST, port: config.PORT });
}

async function worker(config: Config): Promise<void> {
  if (!config.REDIS_URL) {
    process.stderr.write('worker: REDIS_URL is required (embedded mode runs jobs inside `serve`)\n');
    process.exit(2);
  }
  const container = await createContainer(config);
  warmVision(container);
  await container.core.queue.startWorkers();
  container.core.logger.info({ apps: container.apps.map((a) => a.name) }, 'worker started');
  onShutdown(container, async () => undefined);
}

/**
 * A process that runs photo analyses loads (and warms) the face models in the background right
 * after start, so the first photo does not wait for them; /readyz reports it as checks.vision.
 * A load failure is logged here and fails the analyses loudly; the rest of the process serves on.
 */
function warmVision(container: Container): void {
  const analyzer = container.core.analyzer;
  if (!analyzer) return;
  const log = container.core.logger;
  analyzer.ready().then(
    (r) => log.info({ loadMs: Math.round(r.loadMs), backend: r.backend }, 'face models loaded'),
    (err: unknown) => log.error({ err }, 'face models could not be loaded'),
  );
}

/**
 * SIGTERM/SIGINT: stop accepting, close sockets with 1001, let in-flight requests and running jobs
 * finish (bounded by SHUTDOWN_GRACE_MS), then exit. A second signal exits at once.
 */
function onShutdown(container: Container, stopServer: () => Promise<unknown>): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    container.core.logger.info({ signal }, 'shutting down');
    setTimeout(() => process.exit(1), container.core.config.SHUTDOWN_GRACE_MS).unref();
    void stopServer()
      .then(() => container.close())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          container.core.logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof DataDirLockedError) {
    // a second process on a locked DATA_DIR: one line naming the owner, nothing else
    process.stderr.write(`${err.message}\n`);
    process.exit(3);
  }
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
