/**
 * Everything the CLI takes from its process, as one value: output streams, environment, working directory,
 * user id, the clock, an abort signal for SIGINT/SIGTERM, and how to re-run itself as root. `processIo()` in
 * index.ts is the real one; tests pass their own to run commands in-process.
 */
import type { RootAccess } from '../build/rootfs/run-as-root.js';
import type { RerunMethod } from './root-access.js';

/** Where the CLI writes text. */
export interface CliStream {
  write(text: string): void;
  /** True for a terminal: enables the live progress display. */
  readonly isTTY?: boolean;
  /** Terminal width in characters, when known. */
  readonly columns?: number;
}

export interface CliIo {
  readonly stdout: CliStream;
  readonly stderr: CliStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** The effective user id (0 = root). */
  readonly uid: number;
  readonly homeDir: string;
  /** Milliseconds since the epoch (elapsed times in the progress display). */
  now(): number;
  /** Aborted on SIGINT/SIGTERM, with the signal name as `reason`. */
  readonly signal?: AbortSignal;
  /** Reads standard input to its end (`-f -`). */
  readStdin(): Promise<string>;
  /**
   * Runs this same command again as root (`sudo -n`, or a user namespace), with `args` (the CLI arguments) and
   * the environment plus `env`; resolves with its exit code.
   */
  rerunAsRoot(
    method: RerunMethod,
    args: readonly string[],
    env: Readonly<Record<string, string>>,
  ): Promise<number>;
  /** How a non-root user can get root here; the real probe (sudo -n, a user namespace) when absent. */
  readonly detectRootAccess?: (uid: number) => RootAccess;
}
