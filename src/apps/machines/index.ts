// machines (seed 002, injection-moulding machine management, 사출기 관리): accounts on core
// identity, machines owned by users, START/STOP "runs" validated synchronously and carried out in
// the background through a machine driver (simulator or allow-listed HTTP), run history, live
// status over WebSocket, and the original's {"status", "result"} envelope.
// Owns machines_users, machines_machines and machines_runs (the original's machines_history).
import type { AppModule, Core } from '../../core/core.js';
import type { Db } from '../../core/db/client.js';
import { accountsRoutes } from './accounts.routes.js';
import { AccountsService } from './accounts.service.js';
import type { MachineDriver } from './drivers/driver.js';
import { HttpDriver } from './drivers/http.js';
import { SimulatorDriver } from './drivers/simulator.js';
import { decorateError } from './envelope.js';
import { MachineEvents } from './events.js';
import { accessLog, legacyNotFound } from './http.js';
import { createMachineLogs } from './logs.js';
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

export const createMachinesApp = (core: Core, opts: MachinesOptions = {}): AppModule => {
  const db: Db = core.db;
  const logs = createMachineLogs(core);
  const events = new MachineEvents(core.hub, core.logger);
  const users = new UsersRepository(db);
  const machineRepo = new MachinesRepository(db);
  const runRepo = new RunsRepository(db);
  const accounts = new AccountsService(users, core.identity);
  const machines = new MachinesService(db, machineRepo, runRepo, events);
  const runs = new RunsService(db, machineRepo, runRepo, core.queue, events, core.logger);
  const c = core.config;
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
      await app.register(accountsRoutes(core, accounts));
      await app.register(machinesRoutes(core, accounts, machines, runs));
      await app.register(wsRoutes(core, accounts));
    },
    jobs: [runTask({ db, hub: core.hub, machines: machineRepo, driver, events, logs })],
    messages: machineMessages,
    errorDecorator: decorateError,
    tables: MACHINE_TABLES,
    seedDemo: (password) => seedMachines(accounts, machineRepo, password),
  };
};
