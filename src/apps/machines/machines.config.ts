// The machines app's own environment variables (validated at start with the core's).
import { z } from 'zod';
import { int, list, num } from '../../core/config.js';

export const machinesEnv = z.object({
  /** how runs reach a machine: the built-in simulator, or HTTP to the machine's endpoint_url */
  MACHINE_DRIVER: z.enum(['simulator', 'http']).default('simulator'),
  MACHINE_SIM_LATENCY_MS: int(10_000, 0, 600_000),
  MACHINE_SIM_FAILURE_RATE: num(0, 0, 1),
  /** hosts the HTTP driver may reach (SSRF guard) */
  MACHINE_HTTP_ALLOWLIST: list.default([]),
  MACHINE_HTTP_TIMEOUT_MS: int(15_000, 100, 120_000),
  /** hosts (host or host:port) OPC UA and MQTT connections may reach (SSRF guard; empty = none) */
  MACHINE_CONNECT_ALLOWLIST: list.default([]),
  MACHINE_CONNECT_TIMEOUT_MS: int(10_000, 100, 120_000),
  /** how long a machine may take to answer a command before the run ends PENDING (state unknown) */
  MACHINE_REPLY_TIMEOUT_MS: int(15_000, 100, 600_000),
  /** simulated machines report a reading this often (0 = off) */
  MACHINE_SIM_TELEMETRY_MS: int(5_000, 0, 3_600_000),
  /** raw readings are kept this many days, then only hourly roll-ups */
  MACHINE_TELEMETRY_RAW_DAYS: int(7, 2, 3650),
  MACHINE_ROLLUP_EVERY_MS: int(600_000, 0, 86_400_000),
  /** how often no-data and status-ERROR alarm rules are checked (0 = off) */
  MACHINE_ALARM_SWEEP_MS: int(5_000, 0, 3_600_000),
});

export type MachinesConfig = Readonly<z.infer<typeof machinesEnv>>;
