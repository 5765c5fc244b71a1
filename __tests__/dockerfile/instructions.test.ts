/**
 * Typed instructions: every instruction's fields, BuildKit's flag rules (bflag), and the errors a user can
 * meet, each a DockerfileError naming the line.
 */
import { DockerfileError } from '../../src/errors.js';
import { parseDockerfile } from '../../src/dockerfile/dockerfile.js';
import type { Instruction } from '../../src/dockerfile/instructions/types.js';

/** The instructions of a one-stage Dockerfile `FROM scratch` + `text` (line 2 onwards). */
function stage(text: string): readonly Instruction[] {
  return parseDockerfile(`FROM scratch\n${text}`, { file: 'Dockerfile' }).stages[0]!.instructions;
}
const one = (text: string): Instruction => stage(text)[0]!;

function errorOf(text: string): DockerfileError {
  try {
    parseDockerfile(`FROM scratch\n${text}`);
  } catch (err) {
    if (err instanceof DockerfileError) return err;
    throw err;
  }
  throw new Error(`no error for ${JSON.stringify(text)}`);
}

describe('each instruction, typed', () => {
  const cases: { name: string; given: string; want: Record<string, unknown> }[] = [
    {
      name: 'RUN shell form',
      given: 'RUN echo "$HOME" \\\n && ls',
      want: {
        kind: 'run',
        command: { form: 'shell', command: 'echo "$HOME"  && ls' },
        network: 'default',
        security: 'sandbox',
        mounts: [],
        devices: [],
      },
    },
    {
      name: 'RUN exec form',
      given: 'RUN ["sh", "-c", "echo $HOME"]',
      want: { kind: 'run', command: { form: 'exec', args: ['sh', '-c', 'echo $HOME'] } },
    },
    {
      name: 'RUN --network --security --device',
      given: 'RUN --network=none --security=insecure --device=vendor.com/gpu=all,required --device=class1 x',
      want: {
        network: 'none',
        security: 'insecure',
        devices: [
          { name: 'vendor.com/gpu=all', required: true },
          { name: 'class1', required: false },
        ],
      },
    },
    {
      name: 'RUN --mount keeps CSV fields',
      given: 'RUN --mount=type=cache,target=$HOME/.cache,ro x',
      want: {
        mounts: [
          {
            raw: 'type=cache,target=$HOME/.cache,ro',
            fields: [
              { text: 'type=cache', key: 'type', value: 'cache' },
              { text: 'target=$HOME/.cache', key: 'target', value: '$HOME/.cache' },
              { text: 'ro', key: 'ro', value: undefined },
            ],
          },
        ],
      },
    },
    {
      name: 'CMD shell',
      given: 'CMD echo hi',
      want: { kind: 'cmd', command: { form: 'shell', command: 'echo hi' } },
    },
    { name: 'CMD empty exec', given: 'CMD []', want: { kind: 'cmd', command: { form: 'exec', args: [] } } },
    {
      name: 'ENTRYPOINT exec',
      given: 'ENTRYPOINT ["/bin/app", "--x"]',
      want: { kind: 'entrypoint', command: { form: 'exec', args: ['/bin/app', '--x'] } },
    },
    {
      name: 'SHELL',
      given: 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]',
      want: { kind: 'shell', shell: ['/bin/bash', '-o', 'pipefail', '-c'] },
    },
    {
      name: 'COPY all flags',
      given:
        'COPY --from=build --chown=1:2 --chmod=0755 --link --parents --exclude=*.md --exclude=.git a b /dst/',
      want: {
        kind: 'copy',
        from: 'build',
        chown: '1:2',
        chmod: '0755',
        link: true,
        parents: true,
        exclude: ['*.md', '.git'],
        sources: ['a', 'b'],
        destination: '/dst/',
        inlineFiles: [],
      },
    },
    {
      name: 'COPY defaults',
      given: 'COPY a b',
      want: { from: undefined, chown: undefined, chmod: undefined, link: false, parents: false, exclude: [] },
    },
    {
      name: 'COPY JSON with spaces',
      given: 'COPY ["a b", "/c d/"]',
      want: { sources: ['a b'], destination: '/c d/' },
    },
    {
      name: 'ADD all flags',
      given:
        'ADD --checksum=sha256:abc --keep-git-dir --unpack=false --link=false --chmod=644 https://x/y.tgz /d',
      want: {
        kind: 'add',
        checksum: 'sha256:abc',
        keepGitDir: true,
        unpack: false,
        link: false,
        chmod: '644',
        sources: ['https://x/y.tgz'],
        destination: '/d',
      },
    },
    { name: 'ADD --unpack unset', given: 'ADD a b', want: { unpack: undefined, keepGitDir: false } },
    {
      name: 'ENV new and legacy',
      given: 'ENV a=1 b="2 3"',
      want: {
        kind: 'env',
        variables: [
          { key: 'a', value: '1', legacy: false },
          { key: 'b', value: '"2 3"', legacy: false },
        ],
      },
    },
    {
      name: 'ENV legacy',
      given: 'ENV A b c',
      want: { variables: [{ key: 'A', value: 'b c', legacy: true }] },
    },
    {
      name: 'LABEL',
      given: 'LABEL "com.x"="y z" v=1',
      want: {
        kind: 'label',
        labels: [
          { key: '"com.x"', value: '"y z"', legacy: false },
          { key: 'v', value: '1', legacy: false },
        ],
      },
    },
    {
      name: 'ARG',
      given: 'ARG a b=2 c=',
      want: {
        kind: 'arg',
        args: [
          { name: 'a', defaultValue: undefined },
          { name: 'b', defaultValue: '2' },
          { name: 'c', defaultValue: '' },
        ],
      },
    },
    { name: 'WORKDIR', given: 'WORKDIR /a b', want: { kind: 'workdir', path: '/a b' } },
    { name: 'USER takes the rest of the line', given: 'USER a b', want: { kind: 'user', user: 'a b' } },
    { name: 'USER', given: 'USER app:app', want: { kind: 'user', user: 'app:app' } },
    {
      name: 'EXPOSE keeps source order',
      given: 'EXPOSE 80/tcp 53/udp $P',
      want: { kind: 'expose', ports: ['80/tcp', '53/udp', '$P'] },
    },
    { name: 'VOLUME JSON', given: 'VOLUME ["/a", "/b"]', want: { kind: 'volume', volumes: ['/a', '/b'] } },
    { name: 'STOPSIGNAL', given: 'STOPSIGNAL SIGKILL', want: { kind: 'stopsignal', signal: 'SIGKILL' } },
    {
      name: 'MAINTAINER',
      given: 'MAINTAINER Jane <j@x>',
      want: { kind: 'maintainer', maintainer: 'Jane <j@x>' },
    },
    {
      name: 'HEALTHCHECK NONE',
      given: 'HEALTHCHECK NONE',
      want: { kind: 'healthcheck', check: { type: 'none' } },
    },
    {
      name: 'HEALTHCHECK shell with options',
      given:
        'HEALTHCHECK --interval=1m30s --timeout=500ms --start-period=1.5s --start-interval=2s --retries=4 CMD curl -f x || exit 1',
      want: {
        check: {
          type: 'cmd',
          test: ['CMD-SHELL', 'curl -f x || exit 1'],
          interval: 90e9,
          timeout: 500e6,
          startPeriod: 1.5e9,
          startInterval: 2e9,
          retries: 4,
        },
      },
    },
    {
      name: 'HEALTHCHECK exec, lower-case cmd',
      given: 'HEALTHCHECK cmd ["a", "b"]',
      want: {
        check: {
          type: 'cmd',
          test: ['CMD', 'a', 'b'],
          interval: 0,
          timeout: 0,
          startPeriod: 0,
          startInterval: 0,
          retries: 0,
        },
      },
    },
    {
      name: 'HEALTHCHECK zero durations mean unset',
      given: 'HEALTHCHECK --interval=0s --retries=0 CMD x',
      want: { check: { interval: 0, retries: 0 } },
    },
    {
      name: 'HEALTHCHECK NONE ignores flags, as BuildKit',
      given: 'HEALTHCHECK --bogus NONE',
      want: { check: { type: 'none' } },
    },
    {
      name: 'ONBUILD',
      given: 'ONBUILD RUN echo "hi"',
      want: { kind: 'onbuild', trigger: 'RUN', expression: 'RUN echo "hi"' },
    },
    {
      name: 'ONBUILD with lower-case keyword',
      given: 'onbuild  copy . /app',
      want: { trigger: 'COPY', expression: 'copy . /app' },
    },
  ];
  test.each(cases)('$name', ({ given, want }) => {
    expect(one(given)).toMatchObject(want);
  });

  test('location and source text', () => {
    const run = stage('\nRun  a \\\n  b\n')[0]!;
    expect(run).toMatchObject({
      keyword: 'Run',
      source: 'Run  a   b',
      location: { file: 'Dockerfile', line: 3, endLine: 4 },
    });
  });

  test('FROM: image, lower-cased stage name, platform, description comment', () => {
    const df = parseDockerfile(
      '# Builder compiles things\n# builder compiles the app\nFROM --platform=$BUILDPLATFORM golang:1.22 As Builder\n',
    );
    expect(df.stages[0]!.from).toMatchObject({
      kind: 'from',
      image: 'golang:1.22',
      stageName: 'builder',
      platform: '$BUILDPLATFORM',
      comment: 'compiles the app',
    });
  });
});

describe('flags (BuildKit bflag rules)', () => {
  test.each([
    { name: 'bare boolean', given: 'COPY --link a b', want: true },
    { name: 'boolean =true any case', given: 'COPY --link=TRUE a b', want: true },
    { name: 'boolean =false', given: 'COPY --link=False a b', want: false },
  ])('$name', ({ given, want }) => {
    expect(one(given)).toMatchObject({ link: want });
  });

  test.each([
    {
      name: 'unknown flag with suggestion',
      given: 'COPY --chwn=1 a b',
      want: 'Dockerfile:2: unknown flag --chwn for COPY (did you mean --chown?) — COPY accepts --exclude, --parents, --chown, --from, --chmod, --link',
    },
    {
      name: 'unknown flag on an instruction without flags',
      given: 'ENV --x=1 a=b',
      want: 'Dockerfile:2: unknown flag --x for ENV — ENV takes no flags',
    },
    {
      name: 'ADD has no --from',
      given: 'ADD --from=x a b',
      want: 'Dockerfile:2: unknown flag --from for ADD — ADD accepts --exclude, --chown, --chmod, --link, --keep-git-dir, --checksum, --unpack',
    },
    {
      name: 'flag names are case-sensitive',
      given: 'COPY --Chown=1 a b',
      want: 'Dockerfile:2: unknown flag --Chown for COPY (did you mean --chown?) — COPY accepts --exclude, --parents, --chown, --from, --chmod, --link',
    },
    {
      name: 'duplicate flag',
      given: 'COPY --chown=1 --chown=2 a b',
      want: 'Dockerfile:2: duplicate flag --chown for COPY — give --chown once',
    },
    {
      name: 'value after a space',
      given: 'COPY --chown 1 a b',
      want: 'Dockerfile:2: flag --chown for COPY needs a value — write --chown=<value> (a value after a space is not part of the flag)',
    },
    {
      name: 'boolean with empty value',
      given: 'COPY --link= a b',
      want: 'Dockerfile:2: flag --link for COPY needs a value — write --link or --link=true|false',
    },
    {
      name: 'boolean not true/false',
      given: 'COPY --link=yes a b',
      want: 'Dockerfile:2: flag --link for COPY expects true or false, not "yes"',
    },
    {
      name: 'bad network',
      given: 'RUN --network=bridge x',
      want: 'Dockerfile:2: invalid network mode "bridge" for RUN — use --network=default, none or host',
    },
    {
      name: 'bad security',
      given: 'RUN --security=yes x',
      want: 'Dockerfile:2: security "yes" is not valid for RUN — use --security=sandbox or insecure',
    },
    {
      name: 'mount from with a variable',
      given: 'RUN --mount=from=$STAGE,target=/x ls',
      want: "Dockerfile:2: --mount=from=$STAGE,target=/x: 'from' doesn't support variable expansion, define alias stage instead",
    },
    {
      name: 'mount CSV error',
      given: 'RUN --mount=type=cache,target=a\\"b x',
      want: 'Dockerfile:2: --mount=type=cache,target=a"b: failed to parse csv mounts: parse error on line 1, column 20: bare " in non-quoted-field',
    },
    {
      name: 'empty mount',
      given: 'RUN --mount= x',
      want: 'Dockerfile:2: --mount=: failed to parse csv mounts: EOF',
    },
    {
      name: 'COPY --from with a variable',
      given: 'COPY --from=$BASE /a /b',
      want: 'Dockerfile:2: variable expansion is not supported for --from (--from=$BASE) — define a new stage with FROM using ARG from global scope as a workaround',
    },
  ])('error: $name', ({ given, want }) => {
    expect(errorOf(given).userMessage()).toBe(want);
  });

  test('a trailing $ in a mount from is not a variable', () => {
    expect(one('RUN --mount=from=a$,target=/x ls')).toMatchObject({ kind: 'run' });
  });
});

describe('argument errors', () => {
  test.each([
    {
      name: 'COPY one argument',
      given: 'COPY a',
      want: 'COPY requires at least two arguments, but only one was provided. Destination could not be determined',
    },
    {
      name: 'ADD no arguments',
      given: 'ADD',
      want: 'ADD requires at least two arguments, but only one was provided. Destination could not be determined',
    },
    { name: 'USER without a user', given: 'USER', want: 'USER requires exactly one argument' },
    { name: 'WORKDIR none', given: 'WORKDIR', want: 'WORKDIR requires exactly one argument' },
    { name: 'EXPOSE none', given: 'EXPOSE', want: 'EXPOSE requires at least one argument' },
    {
      name: 'VOLUME empty string',
      given: 'VOLUME [""]',
      want: 'VOLUME specified can not be an empty string',
    },
    { name: 'ENV none', given: 'ENV', want: 'ENV requires at least one argument' },
    { name: 'ENV blank name', given: 'ENV =x', want: 'ENV names can not be blank' },
    { name: 'ARG none', given: 'ARG', want: 'ARG requires at least one argument' },
    { name: 'ARG blank name', given: 'ARG =x', want: 'ARG names can not be blank' },
    {
      name: 'SHELL not JSON',
      given: 'SHELL /bin/bash -c',
      want: 'SHELL requires the arguments to be in JSON form',
    },
    { name: 'SHELL empty', given: 'SHELL []', want: 'SHELL requires at least one argument' },
    {
      name: 'HEALTHCHECK unknown type',
      given: 'HEALTHCHECK FOO x',
      want: 'Unknown type "FOO" in HEALTHCHECK (try CMD)',
    },
    {
      name: 'HEALTHCHECK CMD without command',
      given: 'HEALTHCHECK CMD',
      want: 'Missing command after HEALTHCHECK CMD',
    },
    {
      name: 'HEALTHCHECK NONE with arguments',
      given: 'HEALTHCHECK NONE x',
      want: 'HEALTHCHECK NONE takes no arguments',
    },
    {
      name: 'HEALTHCHECK bad duration',
      given: 'HEALTHCHECK --interval=5 CMD x',
      want: '--interval: time: missing unit in duration "5"',
    },
    {
      name: 'HEALTHCHECK below 1ms',
      given: 'HEALTHCHECK --timeout=10us CMD x',
      want: 'Interval "timeout" cannot be less than 1ms',
    },
    {
      name: 'HEALTHCHECK negative retries',
      given: 'HEALTHCHECK --retries=-1 CMD x',
      want: '--retries cannot be negative (-1)',
    },
    {
      name: 'ONBUILD ONBUILD',
      given: 'ONBUILD ONBUILD RUN x',
      want: "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed",
    },
    { name: 'ONBUILD FROM', given: 'ONBUILD FROM x', want: "FROM isn't allowed as an ONBUILD trigger" },
    {
      name: 'ONBUILD MAINTAINER',
      given: 'ONBUILD maintainer x',
      want: "MAINTAINER isn't allowed as an ONBUILD trigger",
    },
    { name: 'ONBUILD empty', given: 'ONBUILD', want: 'ONBUILD requires at least one argument' },
  ])('$name', ({ given, want }) => {
    const err = errorOf(given);
    expect(err.message).toBe(want);
    expect(err.location).toEqual({ file: 'Dockerfile', line: 2, endLine: 2 });
  });
});
