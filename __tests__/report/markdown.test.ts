import { commentMarker, prCommentMarkdown, summaryMarkdown, type RunReport } from '../../src/report/index.js';
import { d, report, steps } from './fixtures.js';

const digestA = `sha256:${'a'.repeat(64)}`;

interface SummaryCase {
  readonly name: string;
  readonly given: RunReport;
  readonly want: string;
}

const pushedSummary = `### image-build: \`127.0.0.1:5000/octo/app\`

Pull request #15 · 1 built, 1 cached · pushed

| | |
| --- | --- |
| Digest | \`${digestA}\` |
| Tags | \`127.0.0.1:5000/octo/app:pr-15\` pushed<br>\`127.0.0.1:5000/octo/app:sha-860c190\` unchanged |
| Size | 2.11 MB compressed, 3 layers |
| Cache | 1 of 2 steps cached (50 %); cross-run cache off: the cache input is false |
| Push | 2 blobs uploaded (13.8 kB), 2 already in the registry |

#### Steps

| # | Instruction | Cache | Time | Layer |
| ---: | --- | --- | ---: | ---: |
| 1 | \`FROM 127.0.0.1:5000/base/busybox:1\` | – | 0.1 s |  |
| 2 | \`RUN echo hi > /hi\` | ✅ cached | 0.0 s | 350 B |
| 3 | \`COPY app.txt /app/\` | 🔨 built: the files it copies changed | 1.4 s | 12.3 kB |
| 4 | \`CMD ["cat", "/app/app.txt"]\` | – | 0.0 s |  |
| | **Total** | **1 built, 1 cached** | **1.5 s** | **12.7 kB** |
`;

const forkSummary = `### image-build: \`127.0.0.1:5000/octo/app\`

Pull request #15 from a fork (eve/app) · 1 built, 2 cached · not pushed

| | |
| --- | --- |
| Digest | \`${digestA}\` |
| Tags | \`127.0.0.1:5000/octo/app:pr-15\`<br>\`127.0.0.1:5000/octo/app:sha-860c190\` |
| Size | 2.11 MB compressed, 3 layers |
| Cache | 2 of 3 steps cached (67 %); \`gha\` cache, read-only; restored from main |
| Push | not pushed: pull request from a fork (eve/app): forks get no push credentials |
| Exported | OCI layout \`/ws/out\`<br>Docker archive \`/ws/img.tar\` |

#### Steps

| # | Stage | Instruction | Cache | Time | Layer |
| ---: | --- | --- | --- | ---: | ---: |
| 1 | build | \`RUN make \\| tee log\` | ✅ cached (restored) | 0.0 s | 1 kB |
| 2 | stage-1 | \`RUN echo hi > /hi\` | ✅ cached | 0.0 s | 350 B |
| 3 | stage-1 | \`COPY app.txt /app/\` | 🔨 built: the files it copies changed | 1.4 s | 12.3 kB |
| | | **Total** | **1 built, 2 cached** | **1.4 s** | **13.7 kB** |

> [!WARNING]
> build arg FOO was given but no stage declares it with ARG<br>
`;

const summaryCases: SummaryCase[] = [
  {
    name: 'a pushed pull request preview: tags with their outcome, push totals, step table',
    given: report,
    want: pushedSummary,
  },
  {
    name: 'a fork: not pushed and why, read-only cache, exports, a stage column, escaped pipes, warnings',
    given: {
      ...report,
      trigger: 'pull request #15 from a fork (eve/app)',
      steps: [
        {
          id: '1.1',
          stage: 'build',
          instruction: 'RUN make | tee log',
          line: 2,
          status: 'cached',
          durationMs: 1,
          layer: {
            digest: `sha256:${'9'.repeat(64)}`,
            diffId: `sha256:${'8'.repeat(64)}`,
            size: 1000,
            cacheSource: 'cache',
          },
        },
        ...steps.slice(1, 3).map((s) => ({ ...s, stage: 'stage-1' })),
      ],
      publication: {
        kind: 'not-pushed',
        reason: 'pull request from a fork (eve/app): forks get no push credentials',
      },
      cache: { kind: 'on', backend: 'gha', writable: false, note: 'restored from main' },
      exports: [
        { kind: 'oci', path: '/ws/out' },
        { kind: 'docker', path: '/ws/img.tar' },
      ],
      warnings: ['build arg FOO was given but no stage declares it with ARG'],
    },
    want: forkSummary,
  },
];

describe('summaryMarkdown', () => {
  it.each(summaryCases)('$name', ({ given, want }) => {
    expect(summaryMarkdown(given)).toBe(want);
  });

  it('explains a step that ran because the base image changed since the last build in the scope', () => {
    const first = steps[0]!;
    const changedBase: RunReport = {
      ...report,
      steps: [first, { ...steps[1]!, status: 'built', reason: { kind: 'parent-changed' } }],
      bases: {
        previous: new Map([['127.0.0.1:5000/base/busybox:1', d('e')]]),
        current: new Map([['127.0.0.1:5000/base/busybox:1', d('f')]]),
      },
    };
    expect(summaryMarkdown(changedBase)).toContain(
      '| 2 | `RUN echo hi > /hi` | 🔨 built: the base image 127.0.0.1:5000/base/busybox:1 changed (sha256:eeeeeeeeeeee → sha256:ffffffffffff) | 0.0 s | 350 B |',
    );
  });

  it('says when every tag already pointed at the image', () => {
    const unchanged: RunReport = {
      ...report,
      publication: {
        kind: 'pushed',
        targets: [{ reference: '127.0.0.1:5000/octo/app:main', outcome: 'unchanged' }],
        blobs: report.publication.kind === 'pushed' ? report.publication.blobs : (undefined as never),
      },
    };
    expect(summaryMarkdown(unchanged)).toContain('· already up to date in the registry\n');
  });
});

const comment = `<!-- image-build:127.0.0.1:5000/octo/app -->
### 🐳 Preview image \`127.0.0.1:5000/octo/app:pr-15\`

\`\`\`sh
docker pull 127.0.0.1:5000/octo/app:pr-15
\`\`\`

| | |
| --- | --- |
| Digest | \`${digestA}\` |
| Compressed size | 2.11 MB in 3 layers |
| Cache hit rate | 50 % (1 of 2 steps) |
| Commit | \`860c1904a1ce\` |

<details><summary>Layers (3)</summary>

| # | Layer | Size | Created by | Source |
| ---: | --- | ---: | --- | --- |
| 1 | \`sha256:111111111111\` | 2.1 MB | \`ADD file:abc in /\` | base image |
| 2 | \`sha256:222222222222\` | 350 B | \`RUN echo hi > /hi\` | ✅ cached |
| 3 | \`sha256:333333333333\` | 12.3 kB | \`COPY app.txt /app/\` | 🔨 built |

</details>
`;

describe('prCommentMarkdown', () => {
  it('starts with the marker, then the pull command, digest, size, hit rate and the layer table', () => {
    expect(prCommentMarkdown(report)).toBe(comment);
  });

  it.each([
    { name: 'an image name', given: 'ghcr.io/o/app', want: '<!-- image-build:ghcr.io/o/app -->' },
    { name: 'a name that could end the comment early', given: 'a--b', want: '<!-- image-build:a- -b -->' },
  ])('marker for $name', ({ given, want }) => {
    expect(commentMarker(given)).toBe(want);
  });

  it('never shows the values of changed inputs (build args can be secrets)', () => {
    expect(summaryMarkdown(report)).not.toContain('old-secret-looking-value');
    expect(prCommentMarkdown(report)).not.toContain('old-secret-looking-value');
  });
});
