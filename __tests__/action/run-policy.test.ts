import { InputError } from '../../src/errors.js';
import type { PushMode } from '../../src/action/inputs.js';
import { decideRunPolicy } from '../../src/action/push-policy.js';
import { classifyEvent, describeEvent, type RunEvent } from '../../src/action/run-event.js';

const repo = { full_name: 'octo/app' };
const pr = (headRepo: unknown) => ({
  number: 15,
  pull_request: { number: 15, head: { repo: headRepo, ref: 'feature' }, base: { ref: 'main', repo } },
  repository: repo,
});

interface EventCase {
  readonly name: string;
  readonly given: { readonly eventName: string; readonly ref: string; readonly payload: unknown };
  readonly want: { readonly event: RunEvent; readonly text: string };
}

const eventCases: EventCase[] = [
  {
    name: 'branch push',
    given: { eventName: 'push', ref: 'refs/heads/main', payload: {} },
    want: { event: { kind: 'branch', name: 'main' }, text: 'push to main' },
  },
  {
    name: 'tag push',
    given: { eventName: 'push', ref: 'refs/tags/v1.2.3', payload: {} },
    want: { event: { kind: 'tag', name: 'v1.2.3' }, text: 'tag v1.2.3' },
  },
  {
    name: 'release published',
    given: {
      eventName: 'release',
      ref: 'refs/tags/v2.0.0',
      payload: { action: 'published', release: { tag_name: 'v2.0.0' } },
    },
    want: { event: { kind: 'release', tag: 'v2.0.0' }, text: 'release v2.0.0' },
  },
  {
    name: 'pull request from the same repository',
    given: {
      eventName: 'pull_request',
      ref: 'refs/pull/15/merge',
      payload: pr({ full_name: 'octo/app', fork: false }),
    },
    want: {
      event: { kind: 'pull-request', number: 15, fork: false, headRepository: 'octo/app' },
      text: 'pull request #15',
    },
  },
  {
    name: 'pull request from a fork',
    given: {
      eventName: 'pull_request',
      ref: 'refs/pull/15/merge',
      payload: pr({ full_name: 'mallory/app', fork: true }),
    },
    want: {
      event: { kind: 'pull-request', number: 15, fork: true, headRepository: 'mallory/app' },
      text: 'pull request #15 from a fork (mallory/app)',
    },
  },
  {
    name: 'pull request whose fork was deleted: a fork',
    given: { eventName: 'pull_request', ref: 'refs/pull/15/merge', payload: pr(null) },
    want: {
      event: { kind: 'pull-request', number: 15, fork: true, headRepository: 'unknown' },
      text: 'pull request #15 from a fork (unknown)',
    },
  },
  {
    name: 'pull_request_target',
    given: {
      eventName: 'pull_request_target',
      ref: 'refs/heads/main',
      payload: pr({ full_name: 'mallory/app', fork: true }),
    },
    want: {
      event: { kind: 'pull-request-target', number: 15, fork: true },
      text: 'pull_request_target for #15 from a fork',
    },
  },
  {
    name: 'workflow_dispatch on a branch',
    given: { eventName: 'workflow_dispatch', ref: 'refs/heads/dev', payload: {} },
    want: {
      event: { kind: 'other', eventName: 'workflow_dispatch', ref: 'refs/heads/dev' },
      text: 'workflow_dispatch on dev',
    },
  },
  {
    name: 'schedule',
    given: { eventName: 'schedule', ref: 'refs/heads/main', payload: { schedule: '0 0 * * *' } },
    want: {
      event: { kind: 'other', eventName: 'schedule', ref: 'refs/heads/main' },
      text: 'schedule on main',
    },
  },
];

describe('classifyEvent', () => {
  it.each(eventCases)('$name', ({ given, want }) => {
    const event = classifyEvent(given.eventName, given.ref, given.payload);
    expect(event).toEqual(want.event);
    expect(describeEvent(event)).toBe(want.text);
  });
});

const sameRepoPr: RunEvent = { kind: 'pull-request', number: 3, fork: false, headRepository: 'octo/app' };
const forkPr: RunEvent = { kind: 'pull-request', number: 3, fork: true, headRepository: 'eve/app' };
const branch: RunEvent = { kind: 'branch', name: 'main' };
const target: RunEvent = { kind: 'pull-request-target', number: 3, fork: true };

interface PolicyCase {
  readonly name: string;
  readonly given: { readonly mode: PushMode; readonly event: RunEvent; readonly allowTarget?: boolean };
  readonly want: {
    readonly push: boolean;
    readonly trusted: boolean;
    readonly reason?: RegExp;
    readonly warning?: RegExp;
  };
}

const policyCases: PolicyCase[] = [
  {
    name: 'auto on a branch push pushes',
    given: { mode: 'auto', event: branch },
    want: { push: true, trusted: true },
  },
  {
    name: 'auto on a same-repository PR pushes',
    given: { mode: 'auto', event: sameRepoPr },
    want: { push: true, trusted: true },
  },
  {
    name: 'auto on a fork PR builds only, untrusted',
    given: { mode: 'auto', event: forkPr },
    want: {
      push: false,
      trusted: false,
      reason: /^pull request from a fork \(eve\/app\): forks get no push credentials$/,
    },
  },
  {
    name: 'true on a fork PR is ignored with a warning',
    given: { mode: 'true', event: forkPr },
    want: { push: false, trusted: false, warning: /^push: true is ignored for a pull request from a fork/ },
  },
  {
    name: 'false never pushes',
    given: { mode: 'false', event: branch },
    want: { push: false, trusted: true, reason: /push input is false/ },
  },
  {
    name: 'pull_request_target with the opt-in',
    given: { mode: 'auto', event: target, allowTarget: true },
    want: { push: true, trusted: true },
  },
];

describe('decideRunPolicy', () => {
  it.each(policyCases)('$name', ({ given, want }) => {
    const policy = decideRunPolicy(given.mode, given.event, given.allowTarget ?? false);
    expect(policy.push.kind === 'push').toBe(want.push);
    expect(policy.trusted).toBe(want.trusted);
    if (want.reason) expect(policy.push.kind === 'skip' && policy.push.reason).toMatch(want.reason);
    if (want.warning) expect(policy.warning).toMatch(want.warning);
    else expect(policy.warning).toBeUndefined();
  });

  it('refuses pull_request_target without the opt-in, whatever push says', () => {
    for (const mode of ['auto', 'true', 'false'] as const) {
      expect(() => decideRunPolicy(mode, target, false)).toThrow(InputError);
      expect(() => decideRunPolicy(mode, target, false)).toThrow(
        /input 'allow-pull-request-target': is false/,
      );
    }
  });
});
