import { outputNames } from '../../src/action/names.js';
import {
  formatBytes,
  formatDuration,
  formatRate,
  inlineCode,
  metadataJson,
  reportOutputs,
  tableCell,
} from '../../src/report/index.js';
import { d, report } from './fixtures.js';

describe('reportOutputs', () => {
  it('sets every declared output, build-push-action and metadata-action compatible', () => {
    const out = reportOutputs(report);
    expect(Object.keys(out).sort()).toEqual([...outputNames].sort());
    expect(out).toMatchObject({
      digest: d('a'),
      imageid: d('c'),
      image: `127.0.0.1:5000/octo/app@${d('a')}`,
      version: 'pr-15',
      tags: '127.0.0.1:5000/octo/app:pr-15\n127.0.0.1:5000/octo/app:sha-860c190',
      'tag-names': 'pr-15\nsha-860c190',
      labels:
        'org.opencontainers.image.revision=860c1904a1ce19322e91ac35af1ab07466440c37\norg.opencontainers.image.version=pr-15',
      annotations: 'manifest:org.opencontainers.image.version=pr-15',
      json: '{"tags":[]}',
    });
  });

  it('image is empty when no image name is enabled', () => {
    expect(reportOutputs({ ...report, metadata: { ...report.metadata, images: [] } }).image).toBe('');
  });
});

describe('metadataJson', () => {
  const json = metadataJson(report);

  it("has buildx's keys for an image build", () => {
    expect(json).toMatchObject({
      'containerimage.config.digest': d('c'),
      'containerimage.digest': d('a'),
      'containerimage.descriptor': {
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: d('a'),
        size: 900,
      },
      'image.name': '127.0.0.1:5000/octo/app:pr-15,127.0.0.1:5000/octo/app:sha-860c190',
    });
  });

  it('adds the push outcome and every step with the names (not values) of changed inputs', () => {
    expect(json['image-build.push']).toMatchObject({
      pushed: true,
      targets: [{ outcome: 'pushed' }, { outcome: 'unchanged' }],
    });
    expect(json['image-build.cache']).toEqual({
      kind: 'off',
      reason: 'the cache input is false',
      cached: 1,
      built: 1,
    });
    expect(json['image-build.steps']).toEqual([
      {
        stage: 'stage-0',
        line: 1,
        instruction: 'FROM 127.0.0.1:5000/base/busybox:1',
        status: 'config',
        durationMs: 120,
      },
      {
        stage: 'stage-0',
        line: 2,
        instruction: 'RUN echo hi > /hi',
        status: 'cached',
        durationMs: 3,
        layer: { digest: d('2'), size: 350 },
      },
      {
        stage: 'stage-0',
        line: 3,
        instruction: 'COPY app.txt /app/',
        status: 'built',
        reason: { kind: 'inputs-changed', changed: ['files./app/app.txt'] },
        durationMs: 1450,
        layer: { digest: d('3'), size: 12345 },
      },
      {
        stage: 'stage-0',
        line: 4,
        instruction: 'CMD ["cat", "/app/app.txt"]',
        status: 'config',
        durationMs: 0,
      },
    ]);
    expect(JSON.stringify(json)).not.toContain('old-secret-looking-value');
  });

  it('says why nothing was pushed', () => {
    const skipped = metadataJson({
      ...report,
      publication: { kind: 'not-pushed', reason: 'the push input is false' },
    });
    expect(skipped['image-build.push']).toEqual({ pushed: false, reason: 'the push input is false' });
  });
});

describe('formatters', () => {
  it.each([
    { name: 'zero', given: 0, want: '0 B' },
    { name: 'bytes', given: 999, want: '999 B' },
    { name: 'kilobytes', given: 1_500, want: '1.5 kB' },
    { name: 'round kilobytes', given: 2_000, want: '2 kB' },
    { name: 'megabytes', given: 23_456_789, want: '23.5 MB' },
    { name: 'hundreds of megabytes', given: 456_789_000, want: '457 MB' },
    { name: 'gigabytes', given: 1_234_567_890, want: '1.23 GB' },
  ])('formatBytes: $name', ({ given, want }) => expect(formatBytes(given)).toBe(want));

  it.each([
    { name: 'instant', given: 0, want: '0.0 s' },
    { name: 'tenths rounded down', given: 1_499, want: '1.4 s' },
    { name: 'minutes', given: 65_000, want: '1 min 5 s' },
    { name: 'hours', given: 3_720_000, want: '1 h 2 min' },
  ])('formatDuration: $name', ({ given, want }) => expect(formatDuration(given)).toBe(want));

  it.each([
    { name: 'nothing to cache', given: [0, 0], want: '–' },
    { name: 'two thirds', given: [2, 3], want: '67 %' },
  ])('formatRate: $name', ({ given, want }) => expect(formatRate(given[0]!, given[1]!)).toBe(want));

  it.each([
    { name: 'plain', given: 'RUN x', want: '`RUN x`' },
    { name: 'with backticks', given: 'RUN echo `date`', want: '`` RUN echo `date` ``' },
  ])('inlineCode: $name', ({ given, want }) => expect(inlineCode(given)).toBe(want));

  it.each([
    { name: 'pipes escaped, whitespace folded', given: ['a |  b\n c', 80], want: 'a \\| b c' },
    { name: 'long text cut', given: ['abcdefghij', 5], want: 'abcd…' },
  ] as const)('tableCell: $name', ({ given, want }) => expect(tableCell(given[0], given[1])).toBe(want));
});
