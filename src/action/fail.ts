import * as core from '@actions/core';
import { describeError, severityOf } from '../errors.js';

/**
 * Ends a failed step with exactly one error annotation: the error's one-line message (input named, value
 * quoted, what to do). The stack trace goes to the debug log only (visible with ACTIONS_STEP_DEBUG).
 */
export function failStep(err: unknown): void {
  if (core.isDebug() && err instanceof Error && err.stack) core.debug(err.stack);
  if (severityOf(err) === 'warning') {
    core.warning(describeError(err));
    return;
  }
  core.setFailed(describeError(err));
}
