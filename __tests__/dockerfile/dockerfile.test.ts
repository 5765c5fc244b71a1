/** parseDockerfile: stages, global ARGs, warnings, and the structural errors with file:line. */
import { DockerfileError } from '../../src/errors.js';
import { parseDockerfile, parseOnbuildTrigger } from '../../src/dockerfile/dockerfile.js';

function messageOf(text: string, file = 'Dockerfile'): string {
  try {
    parseDockerfile(text, { file });
  } catch (err) {
    if (err instanceof DockerfileError) return err.userMessage();
    throw err;
  }
  throw new Error('expected a DockerfileError');
}

describe('stages', () => {
  test('multi-stage file: meta args, names, indexes, instructions and locations', () => {
    const df = parseDockerfile(
      [
        '# syntax=docker/dockerfile:1',
        'ARG GO=1.22',
        'ARG BASE',
        'FROM golang:${GO} AS build',
        'WORKDIR /src',
        'RUN go build -o /app .',
        '',
        'FROM ${BASE:-alpine}',
        'COPY --from=build /app /app',
        'ENTRYPOINT ["/app"]',
      ].join('\n'),
      { file: 'build/Dockerfile' },
    );
    expect(df.directives).toEqual([{ name: 'syntax', value: 'docker/dockerfile:1', line: 1 }]);
    expect(df.metaArgs.map((a) => a.args)).toEqual([
      [{ name: 'GO', defaultValue: '1.22' }],
      [{ name: 'BASE', defaultValue: undefined }],
    ]);
    expect(
      df.stages.map((s) => ({
        name: s.name,
        index: s.index,
        image: s.from.image,
        kinds: s.instructions.map((i) => i.kind),
        location: s.location,
      })),
    ).toEqual([
      {
        name: 'build',
        index: 0,
        image: 'golang:${GO}',
        kinds: ['workdir', 'run'],
        location: { file: 'build/Dockerfile', line: 4, endLine: 6 },
      },
      {
        name: undefined,
        index: 1,
        image: '${BASE:-alpine}',
        kinds: ['copy', 'entrypoint'],
        location: { file: 'build/Dockerfile', line: 8, endLine: 10 },
      },
    ]);
    expect(df.escapeToken).toBe('\\');
  });

  test('ARG after the first FROM belongs to the stage', () => {
    const df = parseDockerfile('FROM a\nARG X\n');
    expect([df.metaArgs.length, df.stages[0]!.instructions[0]!.kind]).toEqual([0, 'arg']);
  });

  test('warnings: empty continuation lines and reserved stage names', () => {
    const df = parseDockerfile('FROM a AS scratch\nRUN a \\\n\n b\n');
    expect(df.warnings.map((w) => [w.rule, w.location.line])).toEqual([
      ['NoEmptyContinuation', 4],
      ['ReservedStageName', 1],
    ]);
  });
});

describe('structural errors', () => {
  test.each([
    {
      name: 'instruction before FROM',
      given: 'ARG X\nRUN echo\nFROM a\n',
      want: 'Dockerfile:2: RUN before the first FROM: no build stage in current context — only ARG may come before the first FROM; start a stage with FROM <image>',
    },
    {
      name: 'only ARGs',
      given: 'ARG X\n',
      want: 'Dockerfile:1: dockerfile contains no stages to build — add a FROM instruction',
    },
    {
      name: 'unknown instruction with a suggestion',
      given: 'FROM a\n\nRUNN echo\n',
      want: 'Dockerfile:3: unknown instruction: RUNN (did you mean RUN?) — instructions are FROM, RUN, COPY, ADD, ENV, ARG, WORKDIR, USER, EXPOSE, LABEL, CMD, ENTRYPOINT, …',
    },
    {
      name: 'unknown instruction, lower case',
      given: 'FROM a\ncopu a b\n',
      want: 'Dockerfile:2: unknown instruction: COPU (did you mean COPY?) — instructions are FROM, RUN, COPY, ADD, ENV, ARG, WORKDIR, USER, EXPOSE, LABEL, CMD, ENTRYPOINT, …',
    },
    {
      name: 'unknown instruction, nothing close',
      given: 'FROM a\nFROBNICATE x\n',
      want: 'Dockerfile:2: unknown instruction: FROBNICATE — instructions are FROM, RUN, COPY, ADD, ENV, ARG, WORKDIR, USER, EXPOSE, LABEL, CMD, ENTRYPOINT, …',
    },
    {
      name: 'duplicate stage names (case-insensitive)',
      given: 'FROM a AS x\nFROM b AS X\n',
      want: 'Dockerfile:2: duplicate stage name "x" — it is already defined at line 1; give each stage its own name',
    },
    {
      name: 'FROM with two words',
      given: 'FROM a b\n',
      want: 'Dockerfile:1: FROM requires either one or three arguments — write FROM <image> [AS <name>]',
    },
    {
      name: 'FROM bad stage name',
      given: 'FROM a AS 1st\n',
      want: `Dockerfile:1: invalid name for build stage: "1st", name can't start with a number or contain symbols — use letters, digits, "-", "_" and ".", starting with a letter`,
    },
    {
      name: 'FROM unknown flag',
      given: 'FROM --platfrom=linux/amd64 a\n',
      want: 'Dockerfile:1: unknown flag --platfrom for FROM (did you mean --platform?) — FROM accepts --platform',
    },
    {
      name: 'error in a continued instruction names its first line',
      given: 'FROM a\nCOPY \\\n  --chwn=1 \\\n  a b\n',
      want: 'Dockerfile:2: unknown flag --chwn for COPY (did you mean --chown?) — COPY accepts --exclude, --parents, --chown, --from, --chmod, --link',
    },
  ])('$name', ({ given, want }) => {
    expect(messageOf(given)).toBe(want);
  });

  test('the file name in options is used', () => {
    expect(messageOf('FROM a\nBOGUS\n', 'docker/app.Dockerfile')).toMatch(
      /^docker\/app\.Dockerfile:2: unknown instruction: BOGUS/,
    );
  });
});

describe('parseOnbuildTrigger (running the ONBUILD triggers of a base image in a child build)', () => {
  const at = { file: 'Dockerfile', line: 3, endLine: 3 };

  test('round trip: the stored expression parses back, located at the child FROM', () => {
    const stored = parseDockerfile('FROM a\nONBUILD COPY --chown=1 . /app\n').stages[0]!.instructions[0]!;
    expect(stored.kind).toBe('onbuild');
    const trigger = parseOnbuildTrigger(stored.kind === 'onbuild' ? stored.expression : '', at);
    expect(trigger).toMatchObject({
      kind: 'copy',
      chown: '1',
      sources: ['.'],
      destination: '/app',
      location: at,
    });
  });

  test('a trigger with a heredoc', () => {
    const stored = parseDockerfile('FROM a\nONBUILD RUN <<EOF\necho hi\nEOF\n').stages[0]!.instructions[0]!;
    const trigger = parseOnbuildTrigger(stored.kind === 'onbuild' ? stored.expression : '', at);
    expect(trigger).toMatchObject({ kind: 'run', heredocs: [{ name: 'EOF', content: 'echo hi\n' }] });
  });

  test.each([
    {
      name: 'two instructions',
      given: 'RUN a\nRUN b',
      want: 'Dockerfile:3: onbuild trigger should be a single expression',
    },
    { name: 'FROM', given: 'FROM x', want: "Dockerfile:3: FROM isn't allowed as an ONBUILD trigger" },
    { name: 'bad flag', given: 'COPY --bogus a b', want: 'Dockerfile:3: unknown flag --bogus for COPY' },
    {
      name: 'unterminated heredoc',
      given: 'RUN <<EOF\nx',
      want: 'Dockerfile:3: ONBUILD trigger "RUN <<EOF\\nx": unterminated heredoc',
    },
  ])('error: $name', ({ given, want }) => {
    expect(() => parseOnbuildTrigger(given, at)).toThrow(DockerfileError);
    try {
      parseOnbuildTrigger(given, at);
    } catch (err) {
      expect((err as DockerfileError).userMessage().startsWith(want)).toBe(true);
    }
  });
});
