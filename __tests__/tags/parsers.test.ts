import { parseFlavor, type Flavor } from '../../src/tags/flavor.js';
import { parseImages, type ImageEntry } from '../../src/tags/images.js';
import { parseList, splitField, type EntryField } from '../../src/tags/parse-list.js';
import { parseRules } from '../../src/tags/rules.js';

describe('parseList (pass 1, docker/actions-toolkit getList with ignoreComma and # comments)', () => {
  test.each([
    { name: 'empty text', given: '', want: { entries: [], warnings: 0 } },
    {
      name: 'one entry per line, trimmed',
      given: 'a/b\n  c/d  \r\ne/f',
      want: { entries: ['a/b', 'c/d', 'e/f'], warnings: 0 },
    },
    {
      name: 'multi-field records are joined with ,',
      given: 'type=sha, prefix=x-',
      want: { entries: ['type=sha, prefix=x-'], warnings: 0 },
    },
    {
      name: '# comments at line start, blank lines',
      given: '#c\n\ntype=sha\n#d',
      want: { entries: ['type=sha'], warnings: 0 },
    },
    {
      name: 'an inline # is kept (upstream context test 5)',
      given: 'type=raw,value=foo#bar\n#comment',
      want: { entries: ['type=raw,value=foo#bar'], warnings: 0 },
    },
    {
      name: 'an indented comment is a comment (fix)',
      given: 'a\n   # note',
      want: { entries: ['a'], warnings: 0 },
    },
    {
      name: 'quotes are consumed and a quoted comma is split, with a warning',
      given: 'type=match,"pattern=a{1,2}"',
      want: { entries: ['type=match,pattern=a{1,2}'], warnings: 1 },
    },
    {
      name: 'a whole quoted line keeps doubled inner quotes',
      given: '"type=match,""pattern=a{1,2}"""',
      want: { entries: ['type=match,"pattern=a{1,2}"'], warnings: 0 },
    },
    {
      name: 'relaxed quotes inside a field',
      given: 'description=a "good" one',
      want: { entries: ['description=a "good" one'], warnings: 0 },
    },
  ])('$name', ({ given, want }) => {
    const parsed = parseList('tags', given);
    expect(parsed.entries).toEqual(want.entries);
    expect(parsed.warnings).toHaveLength(want.warnings);
  });
});

describe('splitField', () => {
  test.each<{ name: string; given: [string, 'first' | 'legacy']; want: EntryField }>([
    { name: 'bare', given: [' foo ', 'first'], want: { kind: 'bare', value: 'foo' } },
    {
      name: 'key lower-cased, both sides trimmed',
      given: [' Value = x ', 'first'],
      want: { kind: 'pair', key: 'value', value: 'x' },
    },
    {
      name: 'first: value keeps later =',
      given: ['value=a=b', 'first'],
      want: { kind: 'pair', key: 'value', value: 'a=b' },
    },
    {
      name: 'first: a leading = is a bare value',
      given: ['=x', 'first'],
      want: { kind: 'bare', value: '=x' },
    },
    {
      name: 'legacy: only the first two parts (upstream flavor/images)',
      given: ['prefix=a=b', 'legacy'],
      want: { kind: 'pair', key: 'prefix', value: 'a' },
    },
  ])('$name', ({ given, want }) => {
    expect(splitField(...given)).toEqual(want);
  });
});

describe('parseRules (upstream tag.test.ts transform)', () => {
  test('defaults and priority order', () => {
    const rules = parseRules([
      'type=ref,event=branch',
      'type=ref,event=tag',
      'type=ref,event=pr',
      'type=schedule',
      'type=sha',
      'type=raw,foo',
      'type=edge',
      'type=semver,pattern={{version}}',
      'type=match,"pattern=\\d.\\d.\\d",group=0',
    ]);
    expect(
      rules.map((r) => ({ type: r.type, priority: r.priority, prefix: r.prefix, enable: r.enable })),
    ).toEqual([
      { type: 'schedule', priority: 1000, prefix: undefined, enable: 'true' },
      { type: 'semver', priority: 900, prefix: undefined, enable: 'true' },
      { type: 'match', priority: 800, prefix: undefined, enable: 'true' },
      { type: 'edge', priority: 700, prefix: undefined, enable: 'true' },
      { type: 'ref', priority: 600, prefix: undefined, enable: 'true' },
      { type: 'ref', priority: 600, prefix: undefined, enable: 'true' },
      { type: 'ref', priority: 600, prefix: 'pr-', enable: 'true' },
      { type: 'raw', priority: 200, prefix: undefined, enable: 'true' },
      { type: 'sha', priority: 100, prefix: 'sha-', enable: 'true' },
    ]);
    const match = rules[2];
    expect(match?.type === 'match' && [match.pattern.source, match.group, match.value]).toEqual([
      '\\d.\\d.\\d',
      0,
      '',
    ]);
    const schedule = rules[0];
    expect(schedule?.type === 'schedule' && schedule.pattern).toBe('nightly');
  });

  test.each([
    { name: 'type=sha,prefix= keeps an empty prefix', given: 'type=sha,prefix=', want: { prefix: '' } },
    {
      name: 'type=ref,event=pr,prefix=x- overrides pr-',
      given: 'type=ref,event=pr,prefix=x-',
      want: { prefix: 'x-' },
    },
    { name: 'keys are case-insensitive', given: 'TYPE=sha,Format=long', want: { prefix: 'sha-' } },
  ])('$name', ({ given, want }) => {
    expect(parseRules([given])[0]).toMatchObject(want);
  });
});

describe('parseFlavor (upstream flavor.test.ts)', () => {
  const base: Flavor = {
    latest: 'auto',
    prefix: '',
    prefixOnLatest: false,
    suffix: '',
    suffixOnLatest: false,
  };
  test.each<{ name: string; given: string; want: Partial<Flavor> }>([
    { name: 'latest=true', given: 'latest=true', want: { latest: 'true' } },
    { name: 'latest=false', given: 'latest=false', want: { latest: 'false' } },
    { name: 'latest=newest (image-build)', given: 'latest=newest', want: { latest: 'newest' } },
    { name: 'prefix', given: 'prefix=sha-', want: { prefix: 'sha-' } },
    {
      name: 'several entries',
      given: 'latest=false\nprefix=dev-\nsuffix=-alpine',
      want: { latest: 'false', prefix: 'dev-', suffix: '-alpine' },
    },
    {
      name: 'onlatest applies to the entry it follows',
      given: 'prefix=dev-,onlatest=true\nsuffix=-alpine',
      want: { prefix: 'dev-', prefixOnLatest: true, suffix: '-alpine' },
    },
    {
      name: 'both onlatest',
      given: 'prefix=dev-,onlatest=true\nsuffix=-alpine,onlatest=true',
      want: { prefix: 'dev-', prefixOnLatest: true, suffix: '-alpine', suffixOnLatest: true },
    },
    { name: 'prefix=<space> is empty', given: 'prefix= ', want: {} },
  ])('$name', ({ given, want }) => {
    expect(parseFlavor(given, 'auto')).toEqual({ ...base, ...want });
  });

  test('the default latest policy applies when the flavor does not set one', () => {
    expect(parseFlavor('prefix=x-', 'newest').latest).toBe('newest');
  });
});

describe('parseImages (upstream image.test.ts)', () => {
  test.each<{ name: string; given: string; want: ImageEntry[] }>([
    { name: 'one name', given: 'name/foo', want: [{ name: 'name/foo', enable: true }] },
    {
      name: 'legacy comma list',
      given: 'name/foo,name/bar',
      want: [
        { name: 'name/foo', enable: true },
        { name: 'name/bar', enable: true },
      ],
    },
    {
      name: 'one per line',
      given: 'name/foo\nname/bar',
      want: [
        { name: 'name/foo', enable: true },
        { name: 'name/bar', enable: true },
      ],
    },
    {
      name: 'attributes, case kept here (lower-cased on output)',
      given: 'name=name/bar\nname/foo,enable=false\nname=ghcr.io/UserName/Foo,enable=true',
      want: [
        { name: 'name/bar', enable: true },
        { name: 'name/foo', enable: false },
        { name: 'ghcr.io/UserName/Foo', enable: true },
      ],
    },
  ])('$name', ({ given, want }) => {
    expect(parseImages(given)).toEqual(want);
  });
});
