/** The logger the core receives. The action maps it to @actions/core, the CLI to the terminal. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** Groups related lines (a build step); the action folds them in the log. */
  group?<T>(title: string, fn: () => Promise<T>): Promise<T>;
}

/** A logger that drops everything; for callers that have nothing to say. */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** Records lines in memory; used by tests and by the report to collect warnings. */
export class MemoryLogger implements Logger {
  readonly lines: { level: 'debug' | 'info' | 'warn' | 'error'; message: string }[] = [];
  debug(message: string): void {
    this.lines.push({ level: 'debug', message });
  }
  info(message: string): void {
    this.lines.push({ level: 'info', message });
  }
  warn(message: string): void {
    this.lines.push({ level: 'warn', message });
  }
  error(message: string): void {
    this.lines.push({ level: 'error', message });
  }
  text(level?: 'debug' | 'info' | 'warn' | 'error'): string {
    return this.lines
      .filter((l) => level === undefined || l.level === level)
      .map((l) => l.message)
      .join('\n');
  }
}

/** The clock the core receives; tests pass a fixed one. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
