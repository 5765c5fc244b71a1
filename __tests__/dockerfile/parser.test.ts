/**
 * The parse tree beyond the corpus: directives, continuations, comments, flags scanning, argument splitting
 * edge cases from BuildKit's code (FORMAT.md marks them "from the code, not the fixtures"), and errors.
 */
import { DockerfileError } from '../../src/errors.js';
import { dump } from '../../src/dockerfile/dump.js';
import { parse } from '../../src/dockerfile/parser.js';

const dumpOf = (text: string | Uint8Array): string => dump(parse(text));

function errorOf(run: () => unknown): DockerfileError {
  try {
    run();
  } catch (err) {
    if (err instanceof DockerfileError) return err;
    throw err;
  }
  throw new Error('expected a DockerfileError');
}

describe('directives', () => {
  test.each([
    {
      name: 'escape backtick',
      given: '# escape=`\nFROM a\nRUN x `\n y\n',
      want: { escape: '`', dump: '(from "a")\n(run "x  y")' },
    },
    {
      name: 'key case-insensitive, blanks around =',
      given: '#  EsCaPe = `\nFROM a `\nb\n',
      want: { escape: '`', dump: '(from "a" "b")' },
    },
    {
      name: 'leading whitespace allowed',
      given: '   # escape=`\nFROM a`\nb\n',
      want: { escape: '`', dump: '(from "ab")' },
    },
    {
      name: 'after a blank line it is a comment',
      given: '\n# escape=`\nFROM a `\nb\n',
      want: { escape: '\\', dump: '(from "a" "`")\n(b "")' },
    },
    {
      name: 'unknown directive stops the scan',
      given: '# foo=bar\n# escape=`\nFROM a\n',
      want: { escape: '\\', dump: '(from "a")' },
    },
    {
      name: 'BOM before a directive',
      given: '\ufeff# escape=`\nFROM a\n',
      want: { escape: '`', dump: '(from "a")' },
    },
  ])('$name', ({ given, want }) => {
    const result = parse(given);
    expect({ escape: result.escapeToken, dump: dump(result) }).toEqual(want);
  });

  test('syntax, escape and check are recorded with their lines', () => {
    const result = parse('# syntax=docker/dockerfile:1\n# check=skip=all;error=true\n# escape=\\\nFROM a\n');
    expect(result.directives).toEqual([
      { name: 'syntax', value: 'docker/dockerfile:1', line: 1 },
      { name: 'check', value: 'skip=all;error=true', line: 2 },
      { name: 'escape', value: '\\', line: 3 },
    ]);
  });

  test.each([
    {
      name: 'repeated directive',
      given: '# escape=\\\n# escape=`\nFROM a\n',
      want: { message: 'only one escape parser directive can be used', line: 2 },
    },
    {
      name: 'invalid escape',
      given: '# escape=x\nFROM a\n',
      want: { message: "invalid escape token 'x' does not match ` or \\", line: 1 },
    },
  ])('error: $name', ({ given, want }) => {
    const err = errorOf(() => parse(given, { file: 'Dockerfile.dev' }));
    expect({ message: err.message, line: err.location?.line }).toEqual(want);
    expect(err.userMessage()).toMatch(new RegExp(`^Dockerfile\\.dev:${want.line}: `));
  });
});

describe('lines, comments and continuations', () => {
  test.each([
    { name: 'CRLF', given: 'FROM a\r\nRUN b \\\r\n c\r\n', want: '(from "a")\n(run "b  c")' },
    { name: 'only the first line is left-trimmed', given: '   RUN a \\\n   b\n', want: '(run "a    b")' },
    {
      name: 'escaped escape does not continue',
      given: 'RUN a\\\\\nRUN b\n',
      want: '(run "a\\\\\\\\")\n(run "b")',
    },
    { name: 'escape alone on a line continues', given: 'RUN a \\\n\\\n b\n', want: '(run "a  b")' },
    {
      name: 'comment lines inside a continuation are dropped',
      given: 'RUN a \\\n  # c \\\nb\n',
      want: '(run "a b")',
    },
    { name: 'a # mid-line is text', given: 'RUN echo a # b\n', want: '(run "echo a # b")' },
    { name: 'continuation at end of file', given: 'RUN a \\', want: '(run "a")' },
    { name: 'keyword case is kept in the node, lowered in the dump', given: 'fRoM a\n', want: '(from "a")' },
    { name: 'unknown instruction prints one empty argument', given: 'FOO bar baz\n', want: '(foo "")' },
    {
      name: 'HEALTHCHECK JSON after the type',
      given: 'HEALTHCHECK --interval=5s CMD ["a", "b"]\n',
      want: '(healthcheck ["--interval=5s"] "CMD" "a" "b")',
    },
  ])('$name', ({ given, want }) => {
    expect(dumpOf(given)).toBe(want);
  });

  test('empty continuation lines warn once per instruction, at its last line', () => {
    const result = parse('RUN a \\\n\n  \\\n b\nRUN c\n');
    expect(result.warnings).toEqual([
      {
        message: 'Empty continuation line found in: RUN a    b',
        line: 4,
        url: 'https://docs.docker.com/go/dockerfile/rule/no-empty-continuation/',
      },
    ]);
  });

  test('comments above an instruction are collected; an empty # resets them', () => {
    const result = parse('# one\n#\n# two\n  # three\nFROM a AS b\n');
    expect(result.nodes[0]!.comments).toEqual(['two', '# three']);
  });

  test('node fields: keyword as written, original, flags and json', () => {
    const node = parse('Copy --chown=1:1 ["a b", "/c"]\n').nodes[0]!;
    expect(node).toMatchObject({
      keyword: 'copy',
      keywordAsWritten: 'Copy',
      original: 'Copy --chown=1:1 ["a b", "/c"]',
      flags: ['--chown=1:1'],
      args: ['a b', '/c'],
      json: true,
    });
  });
});

describe('flags scanning (extractBuilderFlags)', () => {
  test.each([
    { name: 'quotes removed', given: 'COPY --chown="a b" x y\n', want: '(copy ["--chown=a b"] "x" "y")' },
    {
      name: 'backslash keeps the next byte',
      given: 'COPY --from=a\\ b x y\n',
      want: '(copy ["--from=a b"] "x" "y")',
    },
    { name: 'single dash is an argument', given: 'RUN -x --y\n', want: '(run "-x --y")' },
    {
      name: 'space-separated value is not part of the flag',
      given: 'COPY --chown user a b\n',
      want: '(copy ["--chown"] "user" "a" "b")',
    },
    {
      name: 'empty quoted flag value kept',
      given: 'COPY --chmod="" a b\n',
      want: '(copy ["--chmod="] "a" "b")',
    },
    { name: 'escape at the end of a flag is dropped', given: 'CMD --a=b\\', want: '(cmd ["--a=b"])' },
    { name: 'escape at the end inside quotes is dropped', given: 'CMD --a="b\\', want: '(cmd ["--a=b"])' },
    { name: 'escaped quote inside quotes', given: 'CMD --a="b\\"c" x', want: '(cmd ["--a=b\\"c"] "x")' },
    { name: 'a flag word ending the line', given: 'CMD --a --', want: '(cmd ["--a"])' },
    { name: 'flags after -- are arguments', given: 'RUN -- --x\n', want: '(run "--x")' },
    {
      name: 'non-ASCII bytes in a flag come out as Latin-1',
      given: 'COPY --chown=josé a b\n',
      want: '(copy ["--chown=josÃ©"] "a" "b")',
    },
  ])('$name', ({ given, want }) => {
    expect(dumpOf(given)).toBe(want);
  });
});

describe('argument splitting edge cases', () => {
  test.each([
    {
      name: 'JSON with a number is an error',
      given: 'CMD ["a", 1]\n',
      want: { error: 'when using JSON array syntax, arrays must be comprised of strings only' },
    },
    {
      name: 'JSON number out of range falls back to shell form',
      given: 'CMD [1e400]\n',
      want: { dump: '(cmd "[1e400]")' },
    },
    { name: 'JSON object is not JSON form', given: 'CMD {"a": 1}\n', want: { dump: '(cmd "{\\"a\\": 1}")' } },
    { name: 'ENV without value', given: 'ENV PATH\n', want: { error: 'ENV must have two arguments' } },
    {
      name: 'LABEL new form needs = everywhere',
      given: 'LABEL a=b c\n',
      want: { error: `Syntax error - can't find = in "c". Must be of the form: name=value` },
    },
    { name: 'ENV split on the first =', given: 'ENV a==b\n', want: { dump: '(env "a" "=b" "=")' } },
    {
      name: 'ENV old form keeps the raw rest',
      given: 'ENV a  b  c\n',
      want: { dump: '(env "a" "b  c" "")' },
    },
    { name: 'ARG words keep quotes', given: "ARG a='x y' b\n", want: { dump: `(arg "a='x y'" "b")` } },
    { name: 'empty ONBUILD', given: 'ONBUILD\n', want: { dump: '(onbuild)' } },
    {
      name: 'ONBUILD with flags on the trigger',
      given: 'ONBUILD COPY --from=a x y\n',
      want: { dump: '(onbuild (copy ["--from=a"] "x" "y"))' },
    },
    {
      name: 'NUL and DEL quoted Go-style',
      given: 'CMD ["\\u0000\\u007f\\u2028\\u00a0é😀"]\n',
      want: { dump: '(cmd "\\x00\\x7f\\u2028\\u00a0é😀")' },
    },
  ])('$name', ({ given, want }) => {
    if ('error' in want) {
      const err = errorOf(() => parse(given));
      expect(err.message).toBe(want.error);
      expect(err.location).toEqual({ file: 'Dockerfile', line: 1, endLine: 1 });
    } else {
      expect(dumpOf(given)).toBe(want.dump);
    }
  });

  test('invalid UTF-8 bytes: kept as bytes in plain strings, U+FFFD where Go decodes runes', () => {
    const bytes = Uint8Array.from([...Buffer.from('USER a'), 0xff, ...Buffer.from('\nENV b=c'), 0xfe, 0x0a]);
    expect(dumpOf(bytes)).toBe('(user "a\\xff")\n(env "b" "c\ufffd" "=")');
  });
});

describe('file-level errors', () => {
  test.each([
    { name: 'empty file', given: '', want: { message: 'file with no instructions', line: 1 } },
    { name: 'only comments', given: '# a\n# b\n', want: { message: 'file with no instructions', line: 2 } },
    {
      name: 'line of 65,536 bytes',
      given: `FROM a\nRUN ${'x'.repeat(65532)}\n`,
      want: { message: 'dockerfile line greater than max allowed size of 65535', line: 2 },
    },
  ])('$name', ({ given, want }) => {
    const err = errorOf(() => parse(given));
    expect({ message: err.message, line: err.location?.line }).toEqual(want);
  });

  test('a line of 65,535 bytes is fine', () => {
    expect(parse(`RUN ${'x'.repeat(65531)}`).nodes).toHaveLength(1);
  });
});
