// machines (seed 002, injection-moulding machine management, 사출기 관리): accounts on core
// identity, machines owned by users, START/STOP "runs" validated synchronously and carried out in
// the background through a machine driver (simulator or allow-listed HTTP), run history, live
// status over WebSocket, and the original's {"status", "result"} envelope.
// Owns machines_users, machines_machines and machines_runs (the original's machines_history).
import { defineApp } from '../../core/core.js';
import { accountsRoutes } from './accounts.routes.js';
import { AccountsService } from './accounts.service.js';
import type { MachineDriver } from './drivers/driver.js';
import { HttpDriver } from './drivers/http.js';
import { SimulatorDriver } from './drivers/simulator.js';
import { decorateError } from './envelope.js';
import { MachineEvents } from './events.js';
import { accessLog, legacyNotFound } from './http.js';
import { createMachineLogs } from './logs.js';
import { machinesEnv } from './machines.config.js';
import { runTask } from './machines.jobs.js';
import { machineMessages } from './machines.messages.js';
import { MachinesRepository, UsersRepository } from './machines.repository.js';
import { machinesRoutes } from './machines.routes.js';
import { MachinesService } from './machines.service.js';
import { MACHINE_TABLES } from './machines.table.js';
import { RunsRepository } from './runs.repository.js';
import { RunsService } from './runs.service.js';
import { seedMachines } from './seed.js';
import { wsRoutes } from './ws.routes.js';

export interface MachinesOptions {
  /** the driver runs use instead of the one MACHINE_DRIVER names (tests) */
  driver?: MachineDriver;
}

export const machinesApp = machinesAppWith({});

export function machinesAppWith(opts: MachinesOptions) {
  return defineApp({
    name: 'machines',
    env: machinesEnv,
    uses: ['db', 'identity', 'queue', 'hub', 'logger', 'logFiles', 'http'],
    create(ctx) {
      const { db, config: c } = ctx;
      const logs = createMachineLogs(ctx.logger, ctx.logFiles);
      const events = new MachineEvents(ctx.hub, ctx.logger);
      const users = new UsersRepository(db);
      const machineRepo = new MachinesRepository(db);
      const runRepo = new RunsRepository(db);
      const accounts = new AccountsService(users, ctx.identity);
      const machines = new MachinesService(db, machineRepo, runRepo, events);
      const runs = new RunsService(db, machineRepo, runRepo, ctx.queue, events, ctx.logger);
      const driver: MachineDriver =
        opts.driver ??
        (c.MACHINE_DRIVER === 'http'
          ? new HttpDriver(c.MACHINE_HTTP_ALLOWLIST, c.MACHINE_HTTP_TIMEOUT_MS)
          : new SimulatorDriver(c.MACHINE_SIM_LATENCY_MS, c.MACHINE_SIM_FAILURE_RATE));

      return {
        name: 'machines',
        migrations: ['machines'],
        async routes(app) {
          accessLog(app, logs);
          legacyNotFound(app);
          await app.register(accountsRoutes(ctx, accounts));
          await app.register(machinesRoutes(ctx, accounts, machines, runs));
          await app.register(wsRoutes(ctx, accounts));
        },
        jobs: [runTask({ db, hub: ctx.hub, machines: machineRepo, driver, events, logs })],
        messages: machineMessages,
        errorDecorator: decorateError,
        tables: MACHINE_TABLES,
        seedDemo: (password) => seedMachines(accounts, machineRepo, password),
      };
    },
  });
}
