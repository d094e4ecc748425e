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
});

export type MachinesConfig = Readonly<z.infer<typeof machinesEnv>>;
