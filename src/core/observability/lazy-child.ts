// Fastify makes a child logger (bound to the request id) for every request. A pino child copies
// and re-serialises its bindings and re-applies redaction: at the machine's limit that was a tenth
// of a cached read's garbage, for a logger most requests never use (request logging is off). This
// child is made on the first log call instead (docs/performance.md).
import type { FastifyBaseLogger } from 'fastify';

type Bindings = Parameters<FastifyBaseLogger['child']>[0];
type ChildLoggerOptions = NonNullable<Parameters<FastifyBaseLogger['child']>[1]>;

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

function call(logger: FastifyBaseLogger, level: Level, args: unknown[]): void {
  (logger[level] as (...a: unknown[]) => void).apply(logger, args);
}

export class LazyChildLogger {
  private made?: FastifyBaseLogger;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly opts: ChildLoggerOptions,
  ) {}

  /** the real child, made once */
  get real(): FastifyBaseLogger {
    return (this.made ??= this.parent.child(this.bindings, this.opts));
  }

  get level(): string {
    return this.made?.level ?? this.opts.level ?? this.parent.level;
  }

  set level(level: string) {
    this.real.level = level;
  }

  isLevelEnabled(level: string): boolean {
    const real = this.made ?? (this.opts.level ? this.real : this.parent);
    return (real as unknown as { isLevelEnabled(l: string): boolean }).isLevelEnabled(level);
  }

  // prototype methods, not per-instance closures: the point is to allocate one small object
  fatal(...args: unknown[]): void {
    call(this.real, 'fatal', args);
  }
  error(...args: unknown[]): void {
    call(this.real, 'error', args);
  }
  warn(...args: unknown[]): void {
    call(this.real, 'warn', args);
  }
  info(...args: unknown[]): void {
    call(this.real, 'info', args);
  }
  debug(...args: unknown[]): void {
    call(this.real, 'debug', args);
  }
  trace(...args: unknown[]): void {
    call(this.real, 'trace', args);
  }
  silent(): void {}

  child(bindings: Bindings, opts?: ChildLoggerOptions): FastifyBaseLogger {
    return this.real.child(bindings, opts);
  }
}

export function lazyChildLogger(parent: FastifyBaseLogger, bindings: Bindings, opts: ChildLoggerOptions): FastifyBaseLogger {
  return new LazyChildLogger(parent, bindings, opts) as unknown as FastifyBaseLogger;
}
