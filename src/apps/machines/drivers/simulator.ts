// The built-in machine: waits the configured latency (the original slept 10 s), then succeeds, or
// fails remotely with the configured probability.
import type { Command } from '../machines.schemas.js';
import type { DriverOutcome, DriverTarget, MachineDriver } from './driver.js';

export class SimulatorDriver implements MachineDriver {
  readonly kind = 'simulator' as const;

  constructor(
    private readonly latencyMs: number,
    private readonly failureRate: number,
    private readonly random: () => number = Math.random,
  ) {}

  async execute(_target: DriverTarget, _command: Command): Promise<DriverOutcome> {
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
    if (this.failureRate > 0 && this.random() < this.failureRate) return { result: 2, reason: 'remote_failed' };
    return { result: 1, reason: null };
  }
}
