/**
 * SIGINT/SIGTERM, as a cancelled workflow or Ctrl-C sends them (the runner sends SIGINT, then SIGTERM, then
 * kills). The first signal aborts the work through an AbortSignal whose `reason` is the signal's name — the
 * builder kills the RUN sandbox and cleans up, a push writes no further tag; a second one ends the process at
 * once. Shared by the CLI and the action's main and post steps.
 */
export type StopSignal = 'SIGINT' | 'SIGTERM';

/** Exit code for a run stopped by a signal: 128 + the signal number, as shells report it. */
export function signalExitCode(signal: StopSignal): number {
  return signal === 'SIGINT' ? 130 : 143;
}

/** The signal that aborted `signal`, if any. */
export function stopSignalOf(signal: AbortSignal | undefined): StopSignal | undefined {
  if (!signal?.aborted) return undefined;
  return signal.reason === 'SIGTERM' ? 'SIGTERM' : 'SIGINT';
}

export interface Interrupts {
  /** Aborted by the first signal, with its name as `reason`. */
  readonly signal: AbortSignal;
  /** Removes the handlers (the work is done). */
  release(): void;
}

/** Traps SIGINT and SIGTERM; `onFirst` runs after the first one has aborted `signal`. */
export function trapInterrupts(onFirst?: (signal: StopSignal) => void): Interrupts {
  const controller = new AbortController();
  const handler = (signal: StopSignal): void => {
    if (controller.signal.aborted) process.exit(signalExitCode(signal));
    controller.abort(signal);
    onFirst?.(signal);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    release: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
