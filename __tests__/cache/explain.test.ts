import type { StepReport } from '../../src/build/types.js';
import { explainSteps, explanationMarkdown, formatExplanation } from '../../src/cache/index.js';
import { sha256 } from '../../src/oci/digest.js';

const from = (instruction: string, stage = 'build'): StepReport => ({
  id: '1.0',
  stage,
  instruction,
  line: 1,
  status: 'config',
  durationMs: 0,
});
const layer = { digest: sha256('l'), diffId: sha256('d'), size: 10 };
const hit = (id: string, instruction: string, cacheSource: 'local' | 'cache' = 'cache'): StepReport => ({
  id,
  stage: 'build',
  instruction,
  line: 2,
  status: 'cached',
  durationMs: 0,
  layer: { ...layer, cacheSource },
});
const miss = (id: string, instruction: string, reason: StepReport['reason']): StepReport => ({
  id,
  stage: 'build',
  instruction,
  line: 3,
  status: 'built',
  durationMs: 5,
  layer,
  ...(reason ? { reason } : {}),
});

const oldBase = sha256('node 20.1');
const newBase = sha256('node 20.2');

const cases: { name: string; given: StepReport[]; want: { reason?: string; line: string } }[] = [
  {
    name: 'a hit from the cross-run cache',
    given: [from('FROM scratch'), hit('1.1', 'COPY . /app')],
    want: { line: 'hit  1.1 COPY . /app (cache)' },
  },
  {
    name: 'a first build',
    given: [from('FROM scratch'), miss('1.1', 'RUN make', { kind: 'first-build' })],
    want: {
      reason: 'not built before in this cache scope',
      line: 'miss 1.1 RUN make — not built before in this cache scope',
    },
  },
  {
    name: 'no-cache',
    given: [from('FROM scratch'), miss('1.1', 'RUN make', { kind: 'no-cache' })],
    want: {
      reason: 'the cache is disabled for this build (no-cache)',
      line: 'miss 1.1 RUN make — the cache is disabled for this build (no-cache)',
    },
  },
  {
    name: 'changed files of a COPY',
    given: [
      from('FROM scratch'),
      miss('1.1', 'COPY src/ /app/', {
        kind: 'inputs-changed',
        changes: [{ input: 'files', before: sha256('a'), after: sha256('b') }],
      }),
    ],
    want: {
      reason: 'the files it copies changed',
      line: `miss 1.1 COPY src/ /app/ — the files it copies changed [files: ${sha256('a').slice(0, 19)} → ${sha256('b').slice(0, 19)}]`,
    },
  },
  {
    name: 'a changed build arg (its values are never shown: they may be secrets)',
    given: [
      from('FROM scratch'),
      miss('1.1', 'RUN make', {
        kind: 'inputs-changed',
        changes: [{ input: 'env.VERSION', before: 'VERSION=1', after: 'VERSION=2' }],
      }),
    ],
    want: {
      reason: 'ARG/ENV VERSION changed',
      line: 'miss 1.1 RUN make — ARG/ENV VERSION changed',
    },
  },
  {
    name: 'changed instruction text',
    given: [
      from('FROM scratch'),
      miss('1.1', 'RUN make all', {
        kind: 'inputs-changed',
        changes: [{ input: 'args', before: ['/bin/sh', '-c', 'make'], after: ['/bin/sh', '-c', 'make all'] }],
      }),
    ],
    want: {
      reason: 'the command changed',
      line: 'miss 1.1 RUN make all — the command changed [args: ["/bin/sh","-c","make"] → ["/bin/sh","-c","make all"]]',
    },
  },
  {
    name: 'an earlier step changed',
    given: [
      from('FROM scratch'),
      miss('1.1', 'COPY a /a', {
        kind: 'inputs-changed',
        changes: [{ input: 'files', before: 'x', after: 'y' }],
      }),
      hit('1.2', 'ENV X=1'),
      miss('1.3', 'RUN make', { kind: 'parent-changed' }),
    ],
    want: {
      reason: 'an earlier step changed (1.1 COPY a /a)',
      line: 'miss 1.3 RUN make — an earlier step changed (1.1 COPY a /a)',
    },
  },
  {
    name: 'the base image digest changed',
    given: [
      from('FROM --platform=$BUILDPLATFORM node:20 AS build'),
      miss('1.1', 'RUN npm ci', { kind: 'parent-changed' }),
    ],
    want: {
      reason: `the base image node:20 changed (${oldBase.slice(0, 19)} → ${newBase.slice(0, 19)})`,
      line: `miss 1.1 RUN npm ci — the base image node:20 changed (${oldBase.slice(0, 19)} → ${newBase.slice(0, 19)}) [base: ${oldBase.slice(0, 19)} → ${newBase.slice(0, 19)}]`,
    },
  },
];

describe('explainSteps', () => {
  const bases = { previous: new Map([['node:20', oldBase]]), current: new Map([['node:20', newBase]]) };
  it.each(cases)('$name', ({ given, want }) => {
    const e = explainSteps(given, bases).at(-1)!;
    expect(e.reason).toBe(want.reason);
    expect(formatExplanation(e)).toBe(want.line);
  });

  it('leaves config-only steps out and renders a Markdown table with pipes escaped', () => {
    const steps = [
      from('FROM scratch'),
      miss('1.1', 'RUN a | b', { kind: 'first-build' }),
      hit('1.2', 'COPY x /x', 'local'),
    ];
    const md = explanationMarkdown(explainSteps(steps));
    expect(md.split('\n')).toEqual([
      '| Step | Instruction | Cache | Why |',
      '| --- | --- | --- | --- |',
      '| 1.1 | `RUN a \\| b` | miss | not built before in this cache scope |',
      '| 1.2 | `COPY x /x` | hit (local) |  |',
    ]);
  });
});
