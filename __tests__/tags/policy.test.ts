import type { ComparableVersion, Emission, TagScope } from '../../src/tags/emission.js';
import { decideVersion, isNewestIn, stableReleasesIn } from '../../src/tags/latest-policy.js';
import { isRawStatement, referencedNames } from '../../src/tags/template-check.js';
import { patternScope } from '../../src/tags/version-rules.js';

describe('isRawStatement (upstream meta.test.ts)', () => {
  test.each([
    { name: 'raw and version', given: '{{ raw }}.{{ version }}', want: false },
    { name: 'broken template', given: '{{ version }},{{raw }.', want: false },
    { name: 'spaced raw', given: '{{ raw }}', want: true },
    { name: 'raw with trailing space', given: '{{ raw}}', want: true },
    { name: 'raw', given: '{{raw}}', want: true },
    { name: 'raw with text', given: 'v{{raw}}', want: false },
  ])('$name', ({ given, want }) => {
    expect(isRawStatement(given)).toBe(want);
  });
});

describe('patternScope', () => {
  test.each<{ name: string; given: string; want: TagScope }>([
    { name: 'version is exact', given: '{{version}}', want: 'exact' },
    { name: 'raw is exact', given: 'v{{raw}}', want: 'exact' },
    { name: 'patch is exact', given: '{{major}}.{{minor}}.{{patch}}', want: 'exact' },
    { name: 'major.minor floats in a minor', given: '{{major}}.{{minor}}', want: 'minor' },
    { name: 'major floats in a major', given: 'v{{major}}', want: 'major' },
    { name: 'block helpers count', given: '{{#if major}}{{major}}{{/if}}', want: 'major' },
    { name: 'a constant floats over everything', given: 'stable', want: 'global' },
  ])('$name', ({ given, want }) => {
    expect(patternScope(given)).toBe(want);
  });

  test('referencedNames sees helpers, their arguments and sub-expressions', () => {
    expect([...referencedNames("{{#if major}}{{date 'x' tz=(branch)}}{{/if}}")].sort()).toEqual([
      'branch',
      'date',
      'if',
      'major',
    ]);
  });
});

describe('stableReleasesIn', () => {
  test.each([
    {
      name: 'semver and pep440 views',
      given: { tags: ['1.2.3', 'v2.0.0', '2.0', 'latest', 'sha-abc1234', '3.0.0-rc.1'] },
      want: { semver: ['1.2.3', '2.0.0'], pep440: ['1.2.3', '2.0.0', '2.0'] },
    },
    {
      name: 'pep440 pre/post/dev are not stable',
      given: { tags: ['1.3rc1', '1.2.post1', '1.0.dev4', '1.1'] },
      want: { semver: [], pep440: ['1.1'] },
    },
    {
      name: 'prefix and suffix stripped',
      given: { tags: ['app-1.2.3-alpine', '1.0.0', 'app-latest'], prefix: 'app-', suffix: '-alpine' },
      want: { semver: ['1.2.3', '1.0.0'], pep440: ['1.2.3', '1.0.0'] },
    },
  ])('$name', ({ given, want }) => {
    expect(stableReleasesIn(given.tags, given.prefix, given.suffix)).toEqual(want);
  });
});

describe('isNewestIn', () => {
  const existing = stableReleasesIn(['1.9.0', '1.10.2', '2.0.0', '2.1.0']);
  const v = (text: string): ComparableVersion => ({ scheme: 'semver', text });
  test.each<{ name: string; given: [string, TagScope]; want: boolean }>([
    { name: 'exact always', given: ['0.0.1', 'exact'], want: true },
    { name: '1.9.5 within 1.9', given: ['1.9.5', 'minor'], want: true },
    { name: '1.9.5 within 1 (1.10.2 exists)', given: ['1.9.5', 'major'], want: false },
    { name: '1.10.3 within 1', given: ['1.10.3', 'major'], want: true },
    { name: '2.1.0 overall (equal)', given: ['2.1.0', 'global'], want: true },
    { name: '2.0.1 overall', given: ['2.0.1', 'global'], want: false },
    { name: '3.0.0 within a new major', given: ['3.0.0', 'major'], want: true },
  ])('$name', ({ given, want }) => {
    expect(isNewestIn(v(given[0]), given[1], existing)).toBe(want);
  });
});

describe('decideVersion', () => {
  const emission = (value: string, extra: Partial<Emission> = {}): Emission => ({
    value,
    autoLatest: false,
    scope: 'exact',
    line: `type=raw,${value}`,
    ...extra,
  });
  const stable = { autoLatest: true, version: { scheme: 'semver', text: '1.9.1' } } as const;
  test.each([
    {
      name: 'nothing',
      given: { emissions: [], policy: 'true' as const },
      want: { main: undefined, partial: [], latest: false },
    },
    {
      name: 'duplicates dropped, main first',
      given: {
        emissions: [emission('a'), emission('b'), emission('a'), emission('b')],
        policy: 'auto' as const,
      },
      want: { main: 'a', partial: ['b'], latest: false },
    },
    {
      name: 'first emitter decides under auto',
      given: { emissions: [emission('x'), emission('1.9.1', stable)], policy: 'auto' as const },
      want: { main: 'x', partial: ['1.9.1'], latest: false },
    },
    {
      name: 'true forces',
      given: { emissions: [emission('x')], policy: 'true' as const },
      want: { main: 'x', partial: [], latest: true },
    },
    {
      name: 'false forbids',
      given: { emissions: [emission('1.9.1', stable)], policy: 'false' as const },
      want: { main: '1.9.1', partial: [], latest: false },
    },
    {
      name: 'newest without existing releases behaves as auto',
      given: {
        emissions: [emission('1.9.1', stable), emission('1', { ...stable, scope: 'major' })],
        policy: 'newest' as const,
      },
      want: { main: '1.9.1', partial: ['1'], latest: true },
    },
  ])('$name', ({ given, want }) => {
    expect(decideVersion(given.emissions, given.policy)).toEqual(want);
  });

  test('newest drops a floating tag and latest when a higher release exists', () => {
    const emissions = [emission('1.9.1', stable), emission('1', { ...stable, scope: 'major' })];
    expect(decideVersion(emissions, 'newest', stableReleasesIn(['1.10.0']))).toEqual({
      main: '1.9.1',
      partial: [],
      latest: false,
    });
  });
});
