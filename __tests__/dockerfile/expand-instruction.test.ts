/**
 * expandInstruction: exactly the words BuildKit expands per instruction (instructions/commands.go `Expand`
 * methods and dockerfile2llb dispatch), one environment per instruction, and the variables it used.
 */
import { DockerfileError } from '../../src/errors.js';
import { parseDockerfile } from '../../src/dockerfile/dockerfile.js';
import { expandInstruction } from '../../src/dockerfile/expand-instruction.js';
import type { Instruction } from '../../src/dockerfile/instructions/types.js';

const env = { V: 'val', D: '/data', U: '1000', M: '0640', P: '80/tcp 443', EMPTY: '', T: 'cache', S: 'TERM' };

function first(text: string, escape = false): Instruction {
  const df = parseDockerfile(`${escape ? '# escape=`\n' : ''}FROM scratch\n${text}`);
  return df.stages[0]!.instructions[0]!;
}
const expanded = (text: string, escape = false) =>
  expandInstruction(first(text, escape), env, { escapeToken: escape ? '`' : '\\' }).instruction;

describe('words expanded, per instruction', () => {
  const cases: { name: string; given: string; want: Record<string, unknown> }[] = [
    {
      name: 'ENV keys and values, quotes removed',
      given: 'ENV K_$V="a $V" x=${D}',
      want: {
        variables: [
          { key: 'K_val', value: 'a val', legacy: false },
          { key: 'x', value: '/data', legacy: false },
        ],
      },
    },
    {
      name: 'ENV legacy form value',
      given: 'ENV A $V and "q"',
      want: { variables: [{ key: 'A', value: 'val and q', legacy: true }] },
    },
    {
      name: 'LABEL keys and values',
      given: 'LABEL "org.$V"="$D" plain=\\$V',
      want: {
        labels: [
          { key: 'org.val', value: '/data', legacy: false },
          { key: 'plain', value: '$V', legacy: false },
        ],
      },
    },
    {
      name: 'ARG defaults only',
      given: 'ARG $V=$D other',
      want: {
        args: [
          { name: '$V', defaultValue: '/data' },
          { name: 'other', defaultValue: undefined },
        ],
      },
    },
    { name: 'WORKDIR', given: 'WORKDIR $D/app', want: { path: '/data/app' } },
    { name: 'WORKDIR quotes', given: 'WORKDIR "/a b/$V"', want: { path: '/a b/val' } },
    { name: 'USER', given: 'USER ${U}:${U}', want: { user: '1000:1000' } },
    { name: 'STOPSIGNAL', given: 'STOPSIGNAL SIG$S', want: { signal: 'SIGTERM' } },
    { name: 'STOPSIGNAL name without SIG, any case', given: 'STOPSIGNAL quit', want: { signal: 'quit' } },
    { name: 'STOPSIGNAL number', given: 'STOPSIGNAL 9', want: { signal: '9' } },
    { name: 'STOPSIGNAL realtime', given: 'STOPSIGNAL SIGRTMIN+3', want: { signal: 'SIGRTMIN+3' } },
    {
      name: 'COPY symbolic chmod passes through',
      given: 'COPY --chmod=u=rwX,go=rX a b',
      want: { chmod: 'u=rwX,go=rX' },
    },
    {
      name: 'VOLUME each path (quotes removed)',
      given: 'VOLUME $D ["/x"]',
      want: { volumes: ['/data', '[/x]'] },
    },
    { name: 'VOLUME JSON', given: 'VOLUME ["$D", "/y"]', want: { volumes: ['/data', '/y'] } },
    {
      name: 'EXPOSE words are split again',
      given: 'EXPOSE $P 53/udp',
      want: { ports: ['80/tcp', '443', '53/udp'] },
    },
    {
      name: 'COPY sources, dest, chown, chmod; not from, not exclude',
      given: 'COPY --from=build --chown=$U --chmod=$M --exclude=$V/* ["$V/a", "$D b", "/dst/$V/"]',
      want: {
        sources: ['val/a', '/data b'],
        destination: '/dst/val/',
        chown: '1000',
        chmod: '0640',
        from: 'build',
        exclude: ['$V/*'],
      },
    },
    {
      name: 'ADD checksum too',
      given: 'ADD --checksum=sha256:$V https://x/$V.tgz /',
      want: { checksum: 'sha256:val', sources: ['https://x/val.tgz'], destination: '/' },
    },
    {
      name: 'COPY heredoc body with an unquoted delimiter',
      given: 'COPY <<EOF /f\n"$V" \\$D\nEOF\n',
      want: { inlineFiles: [{ name: 'EOF', content: '"val" $D\n', expand: true }] },
    },
    {
      name: 'COPY heredoc body with a quoted delimiter',
      given: "COPY <<'EOF' /f\n$V\nEOF\n",
      want: { inlineFiles: [{ name: 'EOF', content: '$V\n', expand: false }] },
    },
    {
      name: 'RUN command text untouched',
      given: 'RUN echo $V',
      want: { command: { form: 'shell', command: 'echo $V' } },
    },
    {
      name: 'RUN heredoc untouched',
      given: 'RUN <<EOF\necho $V\nEOF\n',
      want: { heredocs: [{ name: 'EOF', content: 'echo $V\n', chomp: false, expand: true }] },
    },
    { name: 'CMD untouched', given: 'CMD ["$V"]', want: { command: { form: 'exec', args: ['$V'] } } },
    {
      name: 'ENTRYPOINT untouched',
      given: 'ENTRYPOINT echo $V',
      want: { command: { form: 'shell', command: 'echo $V' } },
    },
    { name: 'SHELL untouched', given: 'SHELL ["$V"]', want: { shell: ['$V'] } },
    {
      name: 'HEALTHCHECK untouched',
      given: 'HEALTHCHECK CMD $V',
      want: { check: { test: ['CMD-SHELL', '$V'] } },
    },
    { name: 'MAINTAINER untouched', given: 'MAINTAINER $V', want: { maintainer: '$V' } },
    { name: 'ONBUILD untouched', given: 'ONBUILD RUN $V', want: { expression: 'RUN $V' } },
  ];
  test.each(cases)('$name', ({ given, want }) => {
    expect(expanded(given)).toMatchObject(want);
  });

  test('RUN: --mount values are expanded and typed', () => {
    const run = expanded(
      'RUN --mount=type=$T,target=$D/c,id=x-$V --mount=type=secret,id=$V,required echo $V',
    );
    expect(run).toMatchObject({
      mounts: [
        {
          raw: 'type=$T,target=$D/c,id=x-$V',
          fields: [{ value: 'cache' }, { value: '/data/c' }, { value: 'x-val' }],
        },
        { raw: 'type=secret,id=$V,required' },
      ],
      mountSpecs: [
        { type: 'cache', target: '/data/c', id: 'x-val', sharing: 'shared' },
        { type: 'secret', id: 'val', target: '/run/secrets/val', required: true },
      ],
      command: { form: 'shell', command: 'echo $V' },
    });
  });

  test('FROM: image and platform against the given (global) args', () => {
    const from = parseDockerfile('FROM --platform=$BUILDPLATFORM alpine:$TAG AS b\n').stages[0]!.from;
    const result = expandInstruction(from, { BUILDPLATFORM: 'linux/arm64', TAG: '3.20' });
    expect(result.instruction).toMatchObject({
      image: 'alpine:3.20',
      platform: 'linux/arm64',
      stageName: 'b',
    });
    expect([...result.used].sort()).toEqual(['BUILDPLATFORM', 'TAG']);
  });

  test('the escape directive applies', () => {
    expect(expanded('WORKDIR c:\\x`$V', true)).toMatchObject({ path: 'c:\\x$V' });
  });

  test('one environment for the whole instruction', () => {
    const result = expandInstruction(first('ENV V=new W=$V'), env);
    expect(result.instruction).toMatchObject({
      variables: [
        { key: 'V', value: 'new' },
        { key: 'W', value: 'val' },
      ],
    });
  });

  test('used and unmatched names over all words', () => {
    const result = expandInstruction(first('COPY --chown=$U $NOPE ${D} /$MISSING'), env);
    expect({ used: [...result.used].sort(), unmatched: [...result.unmatched].sort() }).toEqual({
      used: ['D', 'U'],
      unmatched: ['MISSING', 'NOPE'],
    });
  });

  test('the input instruction is not changed', () => {
    const instruction = first('WORKDIR $D');
    expandInstruction(instruction, env);
    expect(instruction).toMatchObject({ path: '$D' });
  });
});

describe('expansion errors are DockerfileErrors at the instruction', () => {
  test.each([
    {
      name: 'required variable',
      given: 'WORKDIR ${NOPE:?set NOPE}',
      want: 'Dockerfile:2: failed to process "${NOPE:?set NOPE}": NOPE: set NOPE — check the variable references on this line',
    },
    {
      name: 'bad substitution',
      given: 'USER ${}',
      want: 'Dockerfile:2: failed to process "${}": syntax error: bad substitution — check the variable references on this line',
    },
    {
      name: 'shell-form COPY splits before quotes are seen',
      given: 'COPY "$D b" /x',
      want: 'Dockerfile:2: failed to process "\\"$D": unexpected end of statement while looking for matching double-quote',
    },
    {
      name: 'mount invalid after expansion',
      given: 'RUN --mount=type=$V x',
      want: 'Dockerfile:2: --mount=type=$V: unsupported mount type "val" — ',
    },
  ])('$name', ({ given, want }) => {
    let err: unknown;
    try {
      expandInstruction(first(given), env);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DockerfileError);
    expect((err as DockerfileError).userMessage().startsWith(want.replace(/ — $/, ''))).toBe(true);
  });

  test.each([
    { name: 'empty base name', given: 'FROM $EMPTY', want: 'base name ($EMPTY) should not be blank' },
    {
      name: 'empty platform',
      given: 'FROM --platform=$EMPTY a',
      want: 'empty platform value from expression $EMPTY',
    },
  ])('FROM: $name', ({ given, want }) => {
    const from = parseDockerfile(given).stages[0]!.from;
    expect(() => expandInstruction(from, env)).toThrow(want);
  });
});
