import type { StepEvent } from '../../build/types.js';
import type { CliStream } from '../cli-io.js';
import type { ProgressMode } from '../build-options.js';
import { PlainProgress } from './plain-progress.js';
import { TtyProgress } from './tty-progress.js';

/** A task of the CLI's own (export, push) shown like a build step. */
export interface ProgressTask {
  /** Finished; `note` (e.g. a digest) is shown with it. */
  done(note?: string): void;
  failed(message: string): void;
}

/** Shows a build as it runs. Writes to one stream (stderr); never to stdout. */
export interface Progress {
  /** The builder's step events (BuildHost.onStep). */
  step(event: StepEvent): void;
  begin(title: string): ProgressTask;
  /** A line that is not part of a step (warnings, notes); the live display is kept intact. */
  message(text: string): void;
  /** The build failed with `err`: show what the user needs to see of the failed step. */
  failed(err: unknown): void;
  /** Stops the live display (if any) and prints what is left. */
  close(): void;
}

/** `auto` means the live display on a terminal (unless TERM=dumb), plain lines otherwise. */
export function createProgress(
  mode: ProgressMode,
  stream: CliStream,
  now: () => number,
  env: Readonly<Record<string, string | undefined>>,
): Progress {
  const tty = mode === 'tty' || (mode === 'auto' && stream.isTTY === true && env['TERM'] !== 'dumb');
  return tty ? new TtyProgress(stream, now) : new PlainProgress(stream, now);
}

/** `0.0s`, `1.2s`, `75.3s` — BuildKit's step timing format. */
export function formatSeconds(ms: number): string {
  return `${(Math.max(0, ms) / 1000).toFixed(1)}s`;
}
