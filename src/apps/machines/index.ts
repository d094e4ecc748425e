// machines (seed 002, injection-moulding machine management, 사출기 관리): accounts on core
// identity, machines owned by users, START/STOP "runs" validated synchronously and carried out in
// the background through a machine driver (simulator or allow-listed HTTP), run history, live
// status over WebSocket, and the original's {"status", "result"} envelope.
// Owns machines_users, machines_machines and machines_runs (the original's machines_history).
import { defineApp } from '../../core/core.js';
import { accountsRoutes } from './accounts.routes.js';
import { AccountsService } from './accounts.service.js';
import { RoutingDriver, type MachineDriver } from './drivers/driver.js';
import { HttpDriver } from './drivers/http.js';
import { MqttBrokers, MqttDriver } from './drivers/mqtt.js';
import { OpcUaDriver, OpcUaMachines } from './drivers/opcua.js';
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
import { AlarmEngine } from './floor/alarms.js';
import { EndpointPolicy } from './floor/endpoints.js';
import { FLOOR_TABLES } from './floor/floor.table.js';
import { floorRoutes } from './floor/floor.routes.js';
import { FloorService } from './floor/floor.service.js';
import { LiveTelemetry } from './floor/listeners.js';
import { SimulatorTelemetry } from './floor/sim-telemetry.js';
import { publishLatest, TelemetryQueries, TelemetryStore } from './floor/telemetry.js';

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
      const fallback: MachineDriver =
        opts.driver ??
        (c.MACHINE_DRIVER === 'http'
          ? new HttpDriver(c.MACHINE_HTTP_ALLOWLIST, c.MACHINE_HTTP_TIMEOUT_MS)
          : new SimulatorDriver(c.MACHINE_SIM_LATENCY_MS, c.MACHINE_SIM_FAILURE_RATE));

      // shop floor (docs/apps/machines.md §10): OPC UA / MQTT connections, telemetry, alarms
      const policy = new EndpointPolicy(c.MACHINE_CONNECT_ALLOWLIST);
      const timeouts = { connectMs: c.MACHINE_CONNECT_TIMEOUT_MS, replyMs: c.MACHINE_REPLY_TIMEOUT_MS };
      const brokers = new MqttBrokers(policy, timeouts, ctx.logger);
      const opcua = new OpcUaMachines(policy, timeouts, ctx.logger);
      const driver = new RoutingDriver(fallback, { mqtt: new MqttDriver(brokers), opcua: new OpcUaDriver(opcua) });
      const store = new TelemetryStore(db, ctx.logger);
      const queries = new TelemetryQueries(db, c.MACHINE_TELEMETRY_RAW_DAYS);
      const engine = new AlarmEngine(db, events, queries, ctx.logger, c.MACHINE_ALARM_SWEEP_MS);
      const live = new LiveTelemetry(
        db,
        store,
        [
          { protocol: 'mqtt', listen: (conn, push) => brokers.listen(conn, push), retain: (keep) => brokers.retain(keep) },
          { protocol: 'opcua', listen: (conn, push) => opcua.listen(conn, push), retain: (keep) => opcua.retain(keep) },
        ],
        ctx.logger,
      );
      const floor = new FloorService(db, machines, store, queries, engine, policy, c.MACHINE_TELEMETRY_RAW_DAYS, (id) => live.changed(id));
      store.onStored((rows) => engine.onReadings(rows));
      store.onStored((rows) => publishLatest(db, events, rows));
      const simulated = !opts.driver && c.MACHINE_DRIVER === 'simulator';
      const sim = new SimulatorTelemetry(db, store, ctx.logger, simulated ? c.MACHINE_SIM_TELEMETRY_MS : 0);
      let rollup: NodeJS.Timeout | undefined;

      return {
        name: 'machines',
        migrations: ['machines'],
        async routes(app) {
          accessLog(app, logs);
          legacyNotFound(app);
          await app.register(accountsRoutes(ctx, accounts));
          await app.register(machinesRoutes(ctx, accounts, machines, runs));
          await app.register(wsRoutes(ctx, accounts));
          await app.register(floorRoutes(ctx, accounts, floor));
          app.addHook('onReady', async () => {
            sim.start();
            engine.start();
            live.start();
            if (c.MACHINE_ROLLUP_EVERY_MS > 0) {
              rollup = setInterval(() => void queries.rollUp().catch((err: unknown) => ctx.logger.warn({ err }, 'machines: roll-up failed')), c.MACHINE_ROLLUP_EVERY_MS);
              rollup.unref();
            }
          });
          app.addHook('onClose', async () => {
            sim.stop();
            engine.stop();
            live.stop();
            if (rollup) clearInterval(rollup);
            await store.close();
            await brokers.close();
            await opcua.close();
          });
        },
        jobs: [runTask({ db, hub: ctx.hub, machines: machineRepo, driver, events, logs, connectionsOf: (ids) => floor.connectionsOf(ids) })],
        messages: machineMessages,
        errorDecorator: decorateError,
        tables: [...FLOOR_TABLES, ...MACHINE_TABLES],
        seedDemo: (password) => seedMachines(accounts, machineRepo, password),
      };
    },
  });
}
