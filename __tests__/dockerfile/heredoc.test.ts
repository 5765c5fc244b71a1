/**
 * Heredocs, modelled on BuildKit's parser_heredoc_test.go and instructions/parse_heredoc_test.go (the facts,
 * rewritten as named table cases): which words are markers, quoting and expansion, chomping, several per
 * line, which instructions may hold them, and the typed RUN/COPY/ADD results.
 */
import { DockerfileError } from '../../src/errors.js';
import type { Heredoc } from '../../src/dockerfile/ast.js';
import {
  chompHeredocContent,
  heredocMarkersOnLine,
  parseHeredocMarker,
} from '../../src/dockerfile/heredoc.js';
import { parseDockerfile } from '../../src/dockerfile/dockerfile.js';
import { parse } from '../../src/dockerfile/parser.js';
import type {
  AddInstruction,
  CopyInstruction,
  RunInstruction,
} from '../../src/dockerfile/instructions/types.js';

const doc = (overrides: Partial<Heredoc> & { name: string }): Heredoc => ({
  content: '',
  expand: true,
  chomp: false,
  fileDescriptor: 0,
  ...overrides,
});

describe('heredoc bodies attached by the parser', () => {
  const cases: { name: string; given: string; want: readonly Heredoc[] }[] = [
    { name: 'empty body', given: 'RUN <<EMPTY\nEMPTY\n', want: [doc({ name: 'EMPTY' })] },
    {
      name: 'file descriptor',
      given: 'RUN 3<<EMPTY2\nEMPTY2\n',
      want: [doc({ name: 'EMPTY2', fileDescriptor: 3 })],
    },
    { name: 'quoted word is not a marker', given: 'RUN "<<NOHEREDOC"\n', want: [] },
    { name: 'single-quoted word is not a marker', given: "RUN '<<EOF'\n", want: [] },
    {
      name: 'indentation is kept',
      given: 'RUN <<INDENT\n\tfoo\n\tbar\nINDENT\n',
      want: [doc({ name: 'INDENT', content: '\tfoo\n\tbar\n' })],
    },
    {
      name: '<<- keeps body tabs (chomped later) and accepts a tab-indented terminator',
      given: 'RUN <<-UNINDENT\n\tbaz\n\tquux\n\tUNINDENT\n',
      want: [doc({ name: 'UNINDENT', content: '\tbaz\n\tquux\n', chomp: true })],
    },
    {
      name: "quoted delimiter: no expansion ('EOF')",
      given: "RUN <<-'NOEXPAND'\n\tdon't expand $NAME\nNOEXPAND\n",
      want: [doc({ name: 'NOEXPAND', content: "\tdon't expand $NAME\n", chomp: true, expand: false })],
    },
    {
      name: 'double-quoted delimiter',
      given: 'RUN <<"EOF"\nx\nEOF\n',
      want: [doc({ name: 'EOF', content: 'x\n', expand: false })],
    },
    {
      name: 'partly quoted delimiter',
      given: 'RUN <<E"O"F\nx\nEOF\n',
      want: [doc({ name: 'EOF', content: 'x\n', expand: false })],
    },
    {
      name: 'escaped quote is not quoting',
      given: "RUN <<eo\\'f\nx\neo'f\n",
      want: [doc({ name: "eo'f", content: 'x\n' })],
    },
    {
      name: 'comments inside a body are content',
      given: 'RUN <<COMMENT\n# internal comment\necho hello # trailing\nCOMMENT\n',
      want: [doc({ name: 'COMMENT', content: '# internal comment\necho hello # trailing\n' })],
    },
    {
      name: 'after flags',
      given: 'RUN --mount=type=cache,target=/foo <<MOUNT\necho hello\nMOUNT\n',
      want: [doc({ name: 'MOUNT', content: 'echo hello\n' })],
    },
    {
      name: 'two on one line, read in order',
      given: 'COPY <<FILE1 <<FILE2 /dest\ncontent 1\nFILE1\ncontent 2\nFILE2\n',
      want: [doc({ name: 'FILE1', content: 'content 1\n' }), doc({ name: 'FILE2', content: 'content 2\n' })],
    },
    {
      name: 'terminators only end their own body',
      given: 'COPY <<X <<Y /dest\nY\nX\nX\nY\n',
      want: [doc({ name: 'X', content: 'Y\n' }), doc({ name: 'Y', content: 'X\n' })],
    },
    {
      name: 'blank between << and the word',
      given: 'RUN << EOF\nx\nEOF\n',
      want: [doc({ name: 'EOF', content: 'x\n' })],
    },
    {
      name: 'unset variable keeps its name',
      given: 'RUN <<$EOF\nx\n$EOF\n',
      want: [doc({ name: '$EOF', content: 'x\n' })],
    },
    { name: 'exec form has none', given: 'RUN ["<<EOF"]\n', want: [] },
    { name: 'a line the lexer rejects has none', given: "RUN <<'EOF\n", want: [] },
    {
      name: 'inside ONBUILD RUN',
      given: 'ONBUILD RUN <<EOF\nx\nEOF\n',
      want: [doc({ name: 'EOF', content: 'x\n' })],
    },
    {
      name: 'CRLF terminator',
      given: 'RUN <<EOF\r\nx\r\nEOF\r\n',
      want: [doc({ name: 'EOF', content: 'x\r\n' })],
    },
  ];
  test.each(cases)('$name', ({ given, want }) => {
    expect(parse(given).nodes[0]!.heredocs).toEqual(want);
  });

  test.each([
    {
      name: 'USER cannot hold heredocs: the body lines are instructions',
      given: 'USER <<INVALID\nINVALID\n',
      want: ['user', 'invalid'],
    },
    { name: 'WORKDIR neither', given: 'WORKDIR <<EOF\nEOF\n', want: ['workdir', 'eof'] },
    { name: '<< must start a word', given: 'RUN cat<<EOF\nEOF\n', want: ['run', 'eof'] },
  ])('$name', ({ given, want }) => {
    expect(parse(given).nodes.map((n) => n.keyword)).toEqual(want);
  });

  test('line numbers cover the bodies', () => {
    const nodes = parse('FROM a\nRUN <<A cat /dev/stdin <<B\n1\nA\n2\nB\nUSER x\n').nodes;
    expect(nodes.map((n) => [n.keyword, n.startLine, n.endLine])).toEqual([
      ['from', 1, 1],
      ['run', 2, 6],
      ['user', 7, 7],
    ]);
  });
});

describe('heredoc errors', () => {
  test.each([
    {
      name: 'unterminated heredoc',
      given: 'FROM a\nRUN <<EOF\nline\n',
      want: { message: 'unterminated heredoc', line: 2, endLine: 3 },
    },
    {
      name: 'second of two unterminated',
      given: 'FROM a\nRUN <<A <<B\nA\nb\n',
      want: { message: 'unterminated heredoc', line: 2, endLine: 4 },
    },
  ])('$name', ({ given, want }) => {
    let err: unknown;
    try {
      parse(given, { file: 'df' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DockerfileError);
    const e = err as DockerfileError;
    expect(e.message).toMatch(want.message);
    expect(e.location).toEqual({ file: 'df', line: want.line, endLine: want.endLine });
  });
});

describe('parseHeredocMarker (BuildKit ParseHeredoc)', () => {
  test.each(['<<EOF', "<<'EOF'", '<<"EOF"', '<<-EOF', "<<-'EOF'", '<<-"EOF"'])(
    'valid: %s names EOF',
    (word) => {
      expect(parseHeredocMarker(word)?.name).toBe('EOF');
    },
  );
  test.each(['', 'EOF', '<<', '<<-', '<EOF', '<<<EOF', '<<one two'])('not a heredoc: %j', (word) => {
    expect(parseHeredocMarker(word)).toBeUndefined();
  });
  test.each(["<<'EOF", '<<"EOF', "<<EOF'", '<<EOF"'])('invalid quoting throws: %s', (word) => {
    expect(() => parseHeredocMarker(word)).toThrow(/unexpected end of statement/);
  });
  test.each([
    { name: 'plain', given: '<<eof', want: { name: 'eof', expand: true } },
    { name: 'escaped quote', given: "<<eo\\'f", want: { name: "eo'f", expand: true } },
    { name: 'quoted part', given: "<<eo'f'", want: { name: 'eof', expand: false } },
    { name: 'quoted and escaped', given: "<<'e'o\\'f", want: { name: "eo'f", expand: false } },
    { name: 'quoted space', given: "<<'one two'", want: { name: 'one two', expand: false } },
  ])('expand flag: $name', ({ given, want }) => {
    expect(parseHeredocMarker(given)).toMatchObject(want);
  });
  test.each([
    { name: 'RUN <<EOF', given: 'RUN <<EOF', want: ['EOF'] },
    { name: 'chomp', given: 'RUN <<-EOF', want: ['EOF'] },
    { name: 'quoted', given: "RUN <<'EOF'", want: ['EOF'] },
    { name: 'fd', given: 'RUN 4<<EOF', want: ['EOF'] },
    { name: 'two', given: 'RUN <<EOF <<EOF2', want: ['EOF', 'EOF2'] },
    { name: 'between words', given: 'RUN <<A cat /dev/stdin <<B', want: ['A', 'B'] },
    { name: 'inside quotes', given: `RUN "<<EOF"`, want: [] },
    { name: 'line the lexer rejects', given: 'RUN echo "unterminated <<EOF', want: [] },
  ])('markers on a line: $name', ({ given, want }) => {
    expect(heredocMarkersOnLine(given).map((m) => m.name)).toEqual(want);
  });
  test('chompHeredocContent strips leading tabs on every line only', () => {
    expect(chompHeredocContent('\thello\n\t\tworld\n x\t\n')).toBe('hello\nworld\n x\t\n');
  });
});

describe('typed heredoc instructions (instructions/parse_heredoc_test.go)', () => {
  const stage = (text: string) => parseDockerfile(`FROM busybox\n${text}`).stages[0]!.instructions;

  test.each([
    {
      name: 'COPY one file',
      given: 'COPY <<EOF /dest\nhello\nEOF\n',
      want: {
        sources: [],
        inlineFiles: [{ name: 'EOF', content: 'hello\n', expand: true }],
        destination: '/dest',
      },
    },
    {
      name: 'COPY chomped, quoted, and a path',
      given: "COPY <<-'A' src <<B /dest/\n\tx $V\nA\nb\nB\n",
      want: {
        sources: ['src'],
        inlineFiles: [
          { name: 'A', content: 'x $V\n', expand: false },
          { name: 'B', content: 'b\n', expand: true },
        ],
        destination: '/dest/',
      },
    },
    {
      name: 'COPY exec form: the marker names an empty file',
      given: 'COPY ["<<EOF", "/dest"]\n',
      want: { sources: [], inlineFiles: [{ name: 'EOF', content: '', expand: true }] },
    },
  ])('$name', ({ given, want }) => {
    expect(stage(given)[0] as CopyInstruction).toMatchObject(want);
  });

  test('ADD takes heredoc sources too', () => {
    const add = stage('ADD <<EOF /x\ny\nEOF\n')[0] as AddInstruction;
    expect(add.inlineFiles).toEqual([{ name: 'EOF', content: 'y\n', expand: true }]);
  });

  test('RUN keeps bodies raw with their chomp flag', () => {
    const run = stage('RUN <<-EOF bash\n\techo $X\nEOF\n')[0] as RunInstruction;
    expect(run.command).toEqual({ form: 'shell', command: '<<-EOF bash' });
    expect(run.heredocs).toEqual([{ name: 'EOF', content: '\techo $X\n', chomp: true, expand: true }]);
  });

  test('a heredoc destination is refused', () => {
    expect(() => stage('COPY a <<EOF\nx\nEOF\n')).toThrow('COPY cannot accept a heredoc as a destination');
  });

  test('ONBUILD keeps its heredoc in the trigger expression', () => {
    const onbuild = stage('ONBUILD RUN <<EOF\necho hi\nEOF\n')[0]!;
    expect(onbuild).toMatchObject({ kind: 'onbuild', trigger: 'RUN', expression: 'RUN <<EOF\necho hi\nEOF' });
  });
});

describe('instructions/parse_heredoc_test.go cases (no trailing newline after the terminator)', () => {
  const parseOne = (text: string) => parseDockerfile(`FROM a\n${text}`).stages[0]!.instructions[0]!;

  test.each([
    {
      name: 'plain paths',
      given: 'COPY /foo /bar',
      want: { sources: ['/foo'], inlineFiles: [], destination: '/bar' },
    },
    {
      name: 'empty body',
      given: 'COPY <<EOF /bar\nEOF',
      want: { sources: [], inlineFiles: [{ name: 'EOF', content: '', expand: true }] },
    },
    {
      name: 'one line',
      given: 'COPY <<EOF /bar\nTESTING\nEOF',
      want: { inlineFiles: [{ name: 'EOF', content: 'TESTING\n', expand: true }] },
    },
    {
      name: 'chomped',
      given: 'COPY <<-EOF /bar\n\tTESTING\nEOF',
      want: { inlineFiles: [{ name: 'EOF', content: 'TESTING\n', expand: true }] },
    },
    {
      name: 'quoted',
      given: "COPY <<'EOF' /bar\nTESTING\nEOF",
      want: { inlineFiles: [{ name: 'EOF', content: 'TESTING\n', expand: false }] },
    },
    {
      name: 'two files',
      given: 'COPY <<EOF1 <<EOF2 /bar\nthis is the first file\nEOF1\nthis is the second file\nEOF2',
      want: {
        inlineFiles: [
          { name: 'EOF1', content: 'this is the first file\n', expand: true },
          { name: 'EOF2', content: 'this is the second file\n', expand: true },
        ],
      },
    },
    {
      name: 'file and path',
      given: 'COPY <<EOF foo.txt /bar\nthis is inline\nEOF',
      want: {
        sources: ['foo.txt'],
        inlineFiles: [{ name: 'EOF', content: 'this is inline\n', expand: true }],
      },
    },
  ])('COPY: $name', ({ given, want }) => {
    expect(parseOne(given)).toMatchObject({ kind: 'copy', destination: '/bar', ...want });
  });

  test.each([
    {
      name: 'exec',
      given: 'RUN ["ls", "/"]',
      want: { command: { form: 'exec', args: ['ls', '/'] }, heredocs: [] },
    },
    {
      name: 'exec with a marker string',
      given: 'RUN ["<<EOF"]',
      want: { command: { form: 'exec', args: ['<<EOF'] }, heredocs: [] },
    },
    { name: 'shell', given: 'RUN ls /', want: { command: { form: 'shell', command: 'ls /' }, heredocs: [] } },
    {
      name: 'heredoc',
      given: 'RUN <<EOF\nls /\nwhoami\nEOF',
      want: {
        command: { form: 'shell', command: '<<EOF' },
        heredocs: [{ name: 'EOF', content: 'ls /\nwhoami\n', chomp: false, expand: true }],
      },
    },
    {
      name: 'quoted heredoc piped',
      given: `RUN <<'EOF' | python\nprint("hello")\nprint("world")\nEOF`,
      want: {
        command: { form: 'shell', command: "<<'EOF' | python" },
        heredocs: [{ name: 'EOF', content: 'print("hello")\nprint("world")\n', chomp: false, expand: false }],
      },
    },
    {
      name: 'chomp kept raw for RUN',
      given: 'RUN <<-EOF\n\techo test\nEOF',
      want: {
        command: { form: 'shell', command: '<<-EOF' },
        heredocs: [{ name: 'EOF', content: '\techo test\n', chomp: true, expand: true }],
      },
    },
  ])('RUN: $name', ({ given, want }) => {
    expect(parseOne(given)).toMatchObject({ kind: 'run', ...want });
  });
});
