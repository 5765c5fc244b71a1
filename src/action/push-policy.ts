import { InputError } from '../errors.js';
import type { PushMode } from './inputs.js';
import type { RunEvent } from './run-event.js';

/** Whether this run pushes, and whether it may use credentials and write the shared cache. */
export interface RunPolicy {
  readonly push: { readonly kind: 'push' } | { readonly kind: 'skip'; readonly reason: string };
  /** False for pull requests from forks: no registry credentials, no GitHub token use, cache read-only. */
  readonly trusted: boolean;
  /**
   * Why the cross-run cache only restores in this run: the code built is not the branch's own (a fork's pull
   * request; pull_request_target, which runs in the base branch's cache scope that its own builds restore).
   */
  readonly cacheReadOnly?: string;
  /** Said once as a warning (push: true on a fork). */
  readonly warning?: string;
}

/**
 * The push and trust rules:
 * - `pull_request_target` builds only with `allow-pull-request-target: true` (it runs with write credentials on
 *   an event anyone with a fork can trigger);
 *   with the opt-in it may push, but never writes the cache: its scope is the base branch's;
 * - a pull request from a fork builds without pushing, credentials or cache writes, whatever `push` says;
 * - otherwise `push: auto` and `push: true` push, `push: false` does not.
 */
export function decideRunPolicy(mode: PushMode, event: RunEvent, allowPullRequestTarget: boolean): RunPolicy {
  if (event.kind === 'pull-request-target' && !allowPullRequestTarget) {
    throw new InputError(
      'allow-pull-request-target',
      'is false, and pull_request_target runs with this repository’s write token and secrets, so image-build does not build there',
      {
        hint: 'trigger the workflow on pull_request instead (fork PRs then build without pushing), or set allow-pull-request-target: true if the job builds only trusted code',
      },
    );
  }
  if (event.kind === 'pull-request' && event.fork) {
    const reason = `pull request from a fork (${event.headRepository}): forks get no push credentials`;
    return {
      push: { kind: 'skip', reason },
      trusted: false,
      cacheReadOnly: 'pull request from a fork: restore only',
      ...(mode === 'true' ? { warning: `push: true is ignored for a ${reason}` } : {}),
    };
  }
  const cache =
    event.kind === 'pull-request-target'
      ? {
          cacheReadOnly:
            "pull_request_target builds pull request code in the base branch's cache scope: restore only",
        }
      : {};
  if (mode === 'false')
    return { push: { kind: 'skip', reason: 'the push input is false' }, trusted: true, ...cache };
  return { push: { kind: 'push' }, trusted: true, ...cache };
}
