/**
 * .dockerignore semantics beyond the shared corpus: patternmatcher hands `\x` escapes and `[…]` classes to Go's
 * regexp package, so Go regexp meanings leak through (POSIX classes, `\d`, octal and hex escapes, `^` anchors,
 * `.` not matching a newline). Also ReadAll details (CRLF, BOM, Unicode blanks) and the match kinds.
 */
import { DockerfileError } from '../../src/errors.js';
import { PatternMatcher, readIgnoreFile } from '../../src/context/dockerignore.js';
import { compilePattern } from '../../src/context/pattern.js';

const origin = { kind: 'ignore-file', file: '.dockerignore' } as const;

function verdict(patterns: string[], path: string): boolean | 'error' {
  try {
    return PatternMatcher.compile(patterns, origin).matches(path);
  } catch (err) {
    if (err instanceof DockerfileError) return 'error';
    throw err;
  }
}

const cases: { name: string; given: { patterns: string[]; path: string }; want: boolean | 'error' }[] = [
  {
    name: 'POSIX class [[:alpha:]] matches a letter',
    given: { patterns: ['[[:alpha:]]'], path: 'q' },
    want: true,
  },
  {
    name: 'POSIX class [[:alpha:]] rejects a digit',
    given: { patterns: ['[[:alpha:]]'], path: '7' },
    want: false,
  },
  { name: 'negated POSIX class', given: { patterns: ['x[[:^digit:]]'], path: 'x7' }, want: false },
  { name: 'negated POSIX class matches', given: { patterns: ['x[[:^digit:]]'], path: 'xa' }, want: true },
  { name: 'unknown POSIX class is an error', given: { patterns: ['[[:nope:]]'], path: 'a' }, want: 'error' },
  { name: '\\d is a digit class (Go regexp)', given: { patterns: ['file\\d'], path: 'file4' }, want: true },
  { name: '\\d does not match a letter d', given: { patterns: ['file\\d'], path: 'filed' }, want: false },
  { name: '\\w matches underscore', given: { patterns: ['a\\wb'], path: 'a_b' }, want: true },
  { name: '\\s matches a space', given: { patterns: ['a\\sb'], path: 'a b' }, want: true },
  { name: '\\S does not match a space', given: { patterns: ['a\\Sb'], path: 'a b' }, want: false },
  { name: 'octal escape \\101 is A', given: { patterns: ['\\101'], path: 'A' }, want: true },
  { name: 'hex escape \\x41 is A', given: { patterns: ['\\x41'], path: 'A' }, want: true },
  { name: 'a backreference-like \\1 is an error', given: { patterns: ['a\\1'], path: 'a1' }, want: 'error' },
  { name: '\\8 is an invalid escape', given: { patterns: ['\\8'], path: '8' }, want: 'error' },
  { name: 'escaped dot is literal', given: { patterns: ['a\\.b'], path: 'axb' }, want: false },
  { name: 'escaped star is literal', given: { patterns: ['a\\*'], path: 'a*' }, want: true },
  { name: 'escaped backslash', given: { patterns: ['a\\\\b'], path: 'a\\b' }, want: true },
  {
    name: 'a raw ^ in a regexp pattern is an anchor',
    given: { patterns: ['a^b*'], path: 'a^bc' },
    want: false,
  },
  { name: 'a raw ^ in an exact pattern is literal', given: { patterns: ['a^b'], path: 'a^b' }, want: true },
  {
    name: '\\Q…\\E quotes the rest literally',
    given: { patterns: ['\\Qa*\\E'], path: 'a[^/]*' },
    want: true,
  },
  { name: '** does not cross a newline', given: { patterns: ['a/**/b'], path: 'a/x\ny/b' }, want: false },
  { name: '** crosses directories', given: { patterns: ['a/**/b'], path: 'a/x/y/b' }, want: true },
  { name: '? matches one code point above U+FFFF', given: { patterns: ['a?b'], path: 'a😀b' }, want: true },
  { name: 'class range over astral code points', given: { patterns: ['[😀-😂]'], path: '😁' }, want: true },
  {
    name: '** prefix kind matches a name prefix',
    given: { patterns: ['abc**'], path: 'abcdef' },
    want: true,
  },
  { name: 'dir/** does not match dir', given: { patterns: ['dir/**'], path: 'dir' }, want: false },
  { name: 'a suffix pattern with a dot', given: { patterns: ['**.txt'], path: 'a/b.txt' }, want: true },
  { name: 'exception needs a prior match', given: { patterns: ['!a', 'a'], path: 'a' }, want: true },
];

describe('pattern semantics (Go regexp leaks)', () => {
  it.each(cases)('$name', ({ given, want }) => {
    expect(verdict(given.patterns, given.path)).toBe(want);
  });
});

describe('match kinds', () => {
  it.each([
    { name: 'literal path is exact', given: 'a/b.txt', want: 'exact' },
    { name: 'trailing ** is a prefix', given: 'dir/**', want: 'prefix' },
    { name: 'leading ** is a suffix', given: '**/name', want: 'suffix' },
    { name: 'lone ** is a suffix', given: '**', want: 'suffix' },
    { name: 'star is a regexp', given: 'a*', want: 'regexp' },
    { name: 'leading ** with a star later is a regexp', given: '**/*.go', want: 'regexp' },
    { name: 'escape is a regexp', given: 'a\\b', want: 'regexp' },
  ])('$name', ({ given, want }) => {
    expect(compilePattern(given, false).kind).toBe(want);
  });
});

describe('readIgnoreFile (ignorefile.ReadAll)', () => {
  it.each([
    { name: 'CRLF line endings', given: 'a\r\nb\r\n', want: ['a', 'b'] },
    { name: 'BOM on the first line only', given: '\ufeffa\n\ufeffb', want: ['a', '\ufeffb'] },
    { name: 'comment only in column 1', given: '#x\n #y\n', want: ['#y'] },
    { name: 'exception with blanks and a leading slash', given: '!  /a/b/', want: ['!a/b'] },
    { name: 'lone ! stays for the matcher to reject', given: '!\n! ', want: ['!', '!'] },
    { name: 'Unicode blanks are trimmed like Go', given: '\u00a0a\u3000\n\u0085b', want: ['a', 'b'] },
    { name: 'a lone / stays /', given: '/', want: ['/'] },
    { name: 'dot-dot is cleaned', given: 'a/../../b', want: ['../b'] },
    { name: 'bytes are decoded as UTF-8', given: Buffer.from('\ufeffné\n', 'utf8'), want: ['né'] },
    { name: 'last line without newline', given: 'a\nb', want: ['a', 'b'] },
  ])('$name', ({ given, want }) => {
    expect(readIgnoreFile(given)).toEqual(want);
  });
});

describe('pattern errors name their origin', () => {
  it('names an --exclude pattern and the Dockerfile line', () => {
    const location = { file: 'Dockerfile', line: 7 };
    expect(() => PatternMatcher.compile(['[x'], { kind: 'flag', flag: '--exclude', location })).toThrow(
      DockerfileError,
    );
    try {
      PatternMatcher.compile(['ok', '[x'], { kind: 'flag', flag: '--exclude', location });
    } catch (err) {
      expect((err as DockerfileError).userMessage()).toMatch(
        /^Dockerfile:7: invalid --exclude pattern "\[x"/,
      );
    }
  });

  it('names the ignore file line', () => {
    try {
      PatternMatcher.compile([{ pattern: 'a[', raw: 'a[', line: 3 }], {
        kind: 'ignore-file',
        file: 'app.Dockerfile.dockerignore',
      });
      throw new Error('no error');
    } catch (err) {
      expect((err as DockerfileError).userMessage()).toMatch(
        /^app\.Dockerfile\.dockerignore:3: invalid pattern "a\["/,
      );
    }
  });
});
