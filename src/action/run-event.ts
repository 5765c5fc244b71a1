/**
 * What triggered the run, from GITHUB_EVENT_NAME, GITHUB_REF and the event payload: the facts that decide
 * whether to push, whether to comment, and what the summary says.
 */

export type RunEvent =
  | { readonly kind: 'branch'; readonly name: string }
  | { readonly kind: 'tag'; readonly name: string }
  | { readonly kind: 'release'; readonly tag: string }
  | {
      readonly kind: 'pull-request';
      readonly number: number;
      /** The head branch lives in another repository (a fork): no credentials, no push, no cache writes. */
      readonly fork: boolean;
      /** `owner/repo` the head branch lives in (`unknown` when the fork was deleted). */
      readonly headRepository: string;
    }
  /** pull_request_target: runs with the base repository's write token on an event a fork can trigger. */
  | { readonly kind: 'pull-request-target'; readonly number: number; readonly fork: boolean }
  | { readonly kind: 'other'; readonly eventName: string; readonly ref: string };

export function classifyEvent(eventName: string, ref: string, payload: unknown): RunEvent {
  const event = record(payload);
  if (eventName === 'pull_request' || eventName === 'pull_request_target') {
    const pr = record(event.pull_request);
    const number = typeof pr.number === 'number' ? pr.number : Number(event.number ?? 0);
    const base = str(record(event.repository).full_name) ?? str(record(record(pr.base).repo).full_name);
    const headRepo = record(record(pr.head).repo);
    const head = str(headRepo.full_name);
    // A deleted fork has no head repository: treat it as a fork, never as trusted.
    const fork = headRepo.fork === true || head === undefined || (base !== undefined && head !== base);
    if (eventName === 'pull_request_target') return { kind: 'pull-request-target', number, fork };
    return { kind: 'pull-request', number, fork, headRepository: head ?? 'unknown' };
  }
  if (eventName === 'release') {
    const tag = str(record(event.release).tag_name) ?? ref.replace(/^refs\/tags\//, '');
    return { kind: 'release', tag };
  }
  if (ref.startsWith('refs/heads/') && eventName === 'push') return { kind: 'branch', name: ref.slice(11) };
  if (ref.startsWith('refs/tags/') && eventName === 'push') return { kind: 'tag', name: ref.slice(10) };
  return { kind: 'other', eventName, ref };
}

/** The trigger in words, for the summary: `push to main`, `pull request #15 from a fork (a/b)`. */
export function describeEvent(event: RunEvent): string {
  switch (event.kind) {
    case 'branch':
      return `push to ${event.name}`;
    case 'tag':
      return `tag ${event.name}`;
    case 'release':
      return `release ${event.tag}`;
    case 'pull-request':
      return event.fork
        ? `pull request #${event.number} from a fork (${event.headRepository})`
        : `pull request #${event.number}`;
    case 'pull-request-target':
      return `pull_request_target for #${event.number}${event.fork ? ' from a fork' : ''}`;
    case 'other': {
      const branch = event.ref.startsWith('refs/heads/') ? ` on ${event.ref.slice(11)}` : '';
      return `${event.eventName}${branch}`;
    }
  }
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
