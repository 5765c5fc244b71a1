import type { Logger } from '../log.js';

/** Where the logger's lines go: the progress display keeps them clear of its live region. */
export interface LineSink {
  message(text: string): void;
}

/**
 * The Logger the core gets from the CLI: warnings as `warning: …`, info lines as they are, debug lines only with
 * --debug. Everything goes to stderr through the progress display, so stdout carries only results.
 */
export class CliLogger implements Logger {
  constructor(
    private readonly sink: LineSink,
    private readonly verbose: boolean,
  ) {}

  debug(message: string): void {
    if (this.verbose) this.sink.message(`debug: ${message}`);
  }
  info(message: string): void {
    this.sink.message(message);
  }
  warn(message: string): void {
    this.sink.message(`warning: ${message}`);
  }
  error(message: string): void {
    this.sink.message(`error: ${message}`);
  }
}

/** A sink writing straight to a stream (commands without a progress display). */
export function streamSink(stream: { write(text: string): void }): LineSink {
  return { message: (text) => stream.write(`${text}\n`) };
}
