import { BuildStepError, describeError, ImageBuildError } from '../../errors.js';
import type { TrackedStep } from './step-tracker.js';

/**
 * What a failed step shows before the one-line error, as BuildKit does: the step's title and its last output
 * lines between rules (`lines`: the error's output tail unless the caller kept more). Empty for other errors
 * and for a step that printed nothing (then the one-line error says it all).
 */
export function failureBlock(
  err: unknown,
  step: TrackedStep | undefined,
  lines: readonly string[] = err instanceof BuildStepError ? err.outputTail : [],
): string[] {
  if (!(err instanceof BuildStepError) || lines.length === 0) return [];
  const title =
    step?.title ?? (err.location ? `${err.location.file}:${err.location.line ?? ''}` : 'the failed step');
  const prefix = step ? `#${step.number} ` : '';
  return ['------', ` > ${title}:`, ...lines.map((l) => `${prefix}${l}`), '------'];
}

/** The step line for a failed step: `#3 ERROR: <message>` (the location and hint come in the final line). */
export function errorLine(err: unknown, step: TrackedStep): string {
  const message =
    err instanceof ImageBuildError ? err.message.replace(/\s*[\r\n]+\s*/g, ' ') : describeError(err);
  return `#${step.number} ERROR: ${message}`;
}

/** How long a finished step took: the builder's own measure when it sent one. */
export function stepDuration(step: TrackedStep): number {
  return step.report?.durationMs ?? (step.ended ?? step.started) - step.started;
}
