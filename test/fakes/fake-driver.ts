// A MachineDriver scripted per command, for the run task's paths in milliseconds: each execute()
// takes the next step (or the default, SUCCESS), and either answers the given outcome, throws the
// given error (a driver bug; real drivers report failures as results), or hangs until released (a
// worker frozen or killed while it held the run).
import type { DriverOutcome, DriverTarget, MachineDriver } from '../../src/apps/machines/drivers/driver.js';
import type { Command } from '../../src/apps/machines/machines.schemas.js';

export type DriverStep = { outcome: DriverOutcome } | { error: Error } | { hang: Promise<void>; then: DriverStep };

export class FakeDriver implements MachineDriver {
  readonly kind = 'simulator' as const;
  readonly sent: Array<{ machineId: number; command: Command }> = [];
  private script: DriverStep[] = [];
  private waiting: Array<() => void> = [];

  constructor(private fallback: DriverStep = { outcome: { result: 1, reason: null } }) {}

  next(...steps: DriverStep[]): this {
    this.script.push(...steps);
    return this;
  }

  always(step: DriverStep): this {
    this.fallback = step;
    return this;
  }

  hang(then: DriverStep = { outcome: { result: 1, reason: null } }): { step: DriverStep; release: () => void } {
    let release!: () => void;
    const hang = new Promise<void>((r) => (release = r));
    return { step: { hang, then }, release };
  }

  async untilSent(n: number): Promise<void> {
    while (this.sent.length < n) await new Promise<void>((r) => this.waiting.push(r));
  }

  async execute(target: DriverTarget, command: Command): Promise<DriverOutcome> {
    this.sent.push({ machineId: target.id, command });
    for (const w of this.waiting.splice(0)) w();
    return this.play(this.script.shift() ?? this.fallback);
  }

  private async play(step: DriverStep): Promise<DriverOutcome> {
    if ('hang' in step) {
      await step.hang;
      return this.play(step.then);
    }
    if ('error' in step) throw step.error;
    return step.outcome;
  }
}
