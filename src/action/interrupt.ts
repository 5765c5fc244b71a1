/**
 * A cancelled workflow: the runner sends SIGINT, then SIGTERM, then kills. The first signal aborts the step's
 * work through an AbortSignal (the builder kills the RUN sandbox and cleans up; the push writes no further
 * tag); a second one ends the process at once.
 */
export type StopSignal = 'SIGINT' | 'SIGTERM';

export interface Interrupts {
  readonly signal: AbortSignal;
  /** The signal received, if any. */
  received(): StopSignal | undefined;
  /** Removes the handlers (the step is done). */
  release(): void;
}

export function trapInterrupts(onFirst?: (signal: StopSignal) => void): Interrupts {
  const controller = new AbortController();
  const handler = (signal: StopSignal): void => {
    if (controller.signal.aborted) process.exit(signal === 'SIGINT' ? 130 : 143);
    controller.abort(signal);
    onFirst?.(signal);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    received: () => (controller.signal.aborted ? (controller.signal.reason as StopSignal) : undefined),
    release: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
