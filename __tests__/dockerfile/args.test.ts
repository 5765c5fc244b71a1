/**
 * ARG scoping as BuildKit does it (dockerfile2llb defaultArgs, buildMetaArgs, dispatchArg, dispatchEnv):
 * predefined platform args, global ARGs and --build-arg, per-stage declaration, ARG/ENV precedence, the
 * RUN environment, proxies and unused build args.
 */
import { DockerfileError } from '../../src/errors.js';
import { GlobalArgs, predefinedArgs } from '../../src/dockerfile/args.js';
import { BuildEnv } from '../../src/dockerfile/build-env.js';
import { parseDockerfile } from '../../src/dockerfile/dockerfile.js';
import { expandInstruction } from '../../src/dockerfile/expand-instruction.js';
import type { ArgInstruction, EnvInstruction } from '../../src/dockerfile/instructions/types.js';
import type { Platform } from '../../src/oci/types.js';

const amd64: Platform = { os: 'linux', architecture: 'amd64' };
const armv7: Platform = { os: 'linux', architecture: 'arm', variant: 'v7' };

describe('predefinedArgs', () => {
  test.each([
    {
      name: 'cross build to arm/v7 on amd64',
      given: { target: armv7, build: amd64, stage: 'app' },
      want: {
        BUILDPLATFORM: 'linux/amd64',
        BUILDOS: 'linux',
        BUILDOSVERSION: '',
        BUILDARCH: 'amd64',
        BUILDVARIANT: '',
        TARGETPLATFORM: 'linux/arm/v7',
        TARGETOS: 'linux',
        TARGETOSVERSION: '',
        TARGETARCH: 'arm',
        TARGETVARIANT: 'v7',
        TARGETSTAGE: 'app',
      },
    },
    {
      name: 'windows with an OS version, unnamed target stage',
      given: {
        target: { os: 'windows', architecture: 'amd64', 'os.version': '10.0.20348' },
        build: amd64,
        stage: '',
      },
      want: {
        TARGETPLATFORM: 'windows(10.0.20348)/amd64',
        TARGETOSVERSION: '10.0.20348',
        TARGETSTAGE: 'default',
      },
    },
  ])('$name', ({ given, want }) => {
    expect(predefinedArgs(given.target, given.build, { targetStage: given.stage })).toMatchObject(want);
  });
});

const dockerfile = (text: string) => parseDockerfile(text);
/** Table cases infer optional keys; drop the undefined ones. */
type Args = Readonly<Record<string, string | undefined>>;
const defined = (args: Args): Record<string, string> =>
  Object.fromEntries(Object.entries(args).filter((e): e is [string, string] => e[1] !== undefined));
const globalsOf = (text: string, buildArgs: Args = {}) =>
  GlobalArgs.forDockerfile(dockerfile(text), { target: armv7, build: amd64, buildArgs: defined(buildArgs) });

describe('global scope (ARGs before the first FROM)', () => {
  test.each([
    { name: 'default', given: { text: 'ARG V=1\nFROM a\n', args: {} }, want: { V: '1' } },
    { name: '--build-arg wins', given: { text: 'ARG V=1\nFROM a\n', args: { V: '2' } }, want: { V: '2' } },
    {
      name: 'defaults see earlier args',
      given: { text: 'ARG A=x\nARG B=${A}y\nFROM a\n', args: { A: 'z' } },
      want: { A: 'z', B: 'zy' },
    },
    {
      name: 'defaults see platform args',
      given: { text: 'ARG P=img-$TARGETARCH\nFROM a\n', args: {} },
      want: { P: 'img-arm' },
    },
    {
      name: 'declared without value and not given: not set',
      given: { text: 'ARG N\nFROM a\n', args: {} },
      want: { N: undefined },
    },
    {
      name: 'predefined can be overridden',
      given: { text: 'FROM a\n', args: { TARGETARCH: 's390x' } },
      want: { TARGETARCH: 's390x' },
    },
    {
      name: 'undeclared build args are not global',
      given: { text: 'FROM a\n', args: { X: '1' } },
      want: { X: undefined },
    },
    {
      name: 'TARGETSTAGE is the last stage',
      given: { text: 'FROM a AS one\nFROM b AS two\n', args: {} },
      want: { TARGETSTAGE: 'two' },
    },
  ])('$name', ({ given, want }) => {
    const globals = globalsOf(given.text, given.args);
    for (const [k, v] of Object.entries(want)) expect([k, globals.get(k)]).toEqual([k, v]);
  });

  test('FROM expands against the global args only', () => {
    const df = dockerfile('ARG TAG=3.20\nFROM alpine:$TAG\n');
    const from = expandInstruction(
      df.stages[0]!.from,
      GlobalArgs.forDockerfile(df, { target: amd64, build: amd64 }),
    );
    expect(from.instruction.image).toBe('alpine:3.20');
  });

  test('a bad default is a DockerfileError at its ARG', () => {
    let err: unknown;
    try {
      globalsOf('ARG A="${B:?need B}"\nFROM x\n');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DockerfileError);
    expect((err as DockerfileError).userMessage()).toBe(
      'Dockerfile:1: failed to process "\\"${B:?need B}\\"": B: need B — check the ARG default value',
    );
  });
});

/** Runs a stage's ARG and ENV instructions through a BuildEnv, the way the builder will. */
function stageEnv(text: string, buildArgs: Args = {}, imageEnv: string[] = []): BuildEnv {
  const df = dockerfile(text);
  const globals = GlobalArgs.forDockerfile(df, {
    target: armv7,
    build: amd64,
    buildArgs: defined(buildArgs),
  });
  let env = BuildEnv.forStage(globals, imageEnv);
  for (const instruction of df.stages.at(-1)!.instructions) {
    if (instruction.kind === 'arg') env = env.declareArgs(instruction);
    if (instruction.kind === 'env') {
      const expanded = expandInstruction(instruction, env.expansionEnv()).instruction as EnvInstruction;
      env = env.applyEnv(expanded.variables);
    }
  }
  return env;
}

describe('stage scope', () => {
  test.each([
    {
      name: 'global arg invisible without ARG',
      given: { text: 'ARG V=1\nFROM a\n', args: {} },
      want: { V: undefined },
    },
    {
      name: 'ARG V brings the global value',
      given: { text: 'ARG V=1\nFROM a\nARG V\n', args: {} },
      want: { V: '1' },
    },
    {
      name: 'ARG V brings the build arg',
      given: { text: 'ARG V=1\nFROM a\nARG V\n', args: { V: '2' } },
      want: { V: '2' },
    },
    {
      name: 'stage default beats global value',
      given: { text: 'ARG V=1\nFROM a\nARG V=3\n', args: {} },
      want: { V: '3' },
    },
    {
      name: 'build arg beats stage default',
      given: { text: 'FROM a\nARG V=3\n', args: { V: '4' } },
      want: { V: '4' },
    },
    {
      name: 'platform args need ARG too',
      given: { text: 'FROM a\nARG TARGETARCH\n', args: {} },
      want: { TARGETARCH: 'arm', TARGETOS: undefined },
    },
    {
      name: 'default expands with earlier ENV',
      given: { text: 'FROM a\nENV B=x\nARG V=$B-y\n', args: {} },
      want: { V: 'x-y' },
    },
    {
      name: 'ENV after ARG wins',
      given: { text: 'FROM a\nARG V=arg\nENV V=env\n', args: { V: 'b' } },
      want: { V: 'env' },
    },
    {
      name: 'ARG after ENV wins (later definition)',
      given: { text: 'FROM a\nENV V=env\nARG V=arg\n', args: {} },
      want: { V: 'arg' },
    },
    {
      name: 'ENV from ARG',
      given: { text: 'FROM a\nARG V\nENV W=${V:-none}\n', args: { V: 'given' } },
      want: { W: 'given' },
    },
    {
      name: 'build arg without ARG is invisible',
      given: { text: 'FROM a\n', args: { V: 'x' } },
      want: { V: undefined },
    },
  ])('$name', ({ given, want }) => {
    const env = stageEnv(given.text, given.args);
    for (const [k, v] of Object.entries(want)) expect([k, env.lookup(k)]).toEqual([k, v]);
  });

  test('a default is not expanded when a build arg is given', () => {
    expect(stageEnv('FROM a\nARG V=${X:?x}\n', { V: 'ok' }).lookup('V')).toBe('ok');
    expect(() => stageEnv('FROM a\nARG V=${X:?x}\n')).toThrow('X: x');
  });

  test('runEnv: image Env, then ENV and ARG in order, a redefined name moves last', () => {
    const env = stageEnv('FROM a\nENV A=1\nARG B=2\nENV PATH=/x:$PATH\nENV A=3\n', {}, [
      'PATH=/bin',
      'HOME=/root',
    ]);
    expect(env.runEnv()).toEqual(['HOME=/root', 'B=2', 'PATH=/x:/bin', 'A=3']);
  });

  test('imageEnv: only ENV, replaced in place', () => {
    const env = stageEnv('FROM a\nENV A=1\nARG B=2\nENV PATH=/x:$PATH\nENV A=3\n', {}, [
      'PATH=/bin',
      'HOME=/root',
    ]);
    expect(env.imageEnv()).toEqual(['PATH=/x:/bin', 'HOME=/root', 'A=3']);
  });

  test('declaredArgs in order, value undefined when none', () => {
    const env = stageEnv('FROM a\nARG A B=1\nARG C\n', { C: '3' });
    expect(env.declaredArgs()).toEqual([
      { name: 'A', value: undefined },
      { name: 'B', value: '1' },
      { name: 'C', value: '3' },
    ]);
  });

  test('the value is immutable: declaring returns a new environment', () => {
    const base = stageEnv('FROM a\n');
    const next = base.declareArg('X', 'y');
    expect([base.lookup('X'), next.lookup('X')]).toEqual([undefined, 'y']);
  });

  test('SBOM scan args are declared but not put into the environment', () => {
    const env = stageEnv('FROM a\nARG BUILDKIT_SBOM_SCAN_STAGE=true\n');
    expect([env.lookup('BUILDKIT_SBOM_SCAN_STAGE'), env.declaredArgs()]).toEqual([
      undefined,
      [{ name: 'BUILDKIT_SBOM_SCAN_STAGE', value: 'true' }],
    ]);
  });
});

describe('proxy args', () => {
  test('reach RUN without ARG, in both cases, outside the cache-key environment', () => {
    const env = stageEnv('FROM a\n', { https_proxy: 'http://p:3128', NO_PROXY: 'localhost' });
    expect(env.runEnv()).toEqual([]);
    expect(env.proxyEnv()).toEqual([
      'HTTPS_PROXY=http://p:3128',
      'https_proxy=http://p:3128',
      'NO_PROXY=localhost',
      'no_proxy=localhost',
    ]);
    expect(env.lookup('https_proxy')).toBeUndefined();
  });

  test('declared with ARG they become ordinary args too', () => {
    const env = stageEnv('FROM a\nARG HTTP_PROXY\n', { HTTP_PROXY: 'http://p' });
    expect(env.runEnv()).toEqual(['HTTP_PROXY=http://p']);
  });
});

describe('unused build args', () => {
  test.each([
    { name: 'undeclared', given: { text: 'FROM a\n', args: { X: '1' } }, want: ['X'] },
    { name: 'declared globally only counts', given: { text: 'ARG X\nFROM a\n', args: { X: '1' } }, want: [] },
    { name: 'declared in the stage', given: { text: 'FROM a\nARG X\n', args: { X: '1' } }, want: [] },
    {
      name: 'proxies, platform and BuildKit args never count',
      given: {
        text: 'FROM a\n',
        args: { http_proxy: '1', TARGETARCH: 'x', SOURCE_DATE_EPOCH: '0', BUILDKIT_INLINE_CACHE: '1' },
      },
      want: [],
    },
  ])('$name', ({ given, want }) => {
    expect(stageEnv(given.text, given.args).unusedBuildArgs()).toEqual(want);
  });

  test('across stages: unused only if no stage declared it', () => {
    const df = dockerfile('FROM a AS one\nARG X\nFROM b AS two\nARG Y\n');
    const globals = GlobalArgs.forDockerfile(df, {
      target: amd64,
      build: amd64,
      buildArgs: { X: '1', Y: '2', Z: '3' },
    });
    const envs = df.stages.map((s) =>
      s.instructions
        .filter((i): i is ArgInstruction => i.kind === 'arg')
        .reduce((e, a) => e.declareArgs(a), BuildEnv.forStage(globals)),
    );
    expect(BuildEnv.unusedBuildArgs(envs)).toEqual(['Z']);
  });
});
