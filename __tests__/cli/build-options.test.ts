/**
 * `image-build build` flags → BuildOptions: docker build's defaults, each flag's parsing, and one clear
 * InputError (naming the flag) for every bad value.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBuildOptions, type BuildOptions } from '../../src/cli/build-options.js';
import { InputError } from '../../src/errors.js';
import { hostPlatform } from '../../src/oci/platform.js';

const dir = mkdtempSync(join(tmpdir(), 'ib-cli-opts-'));
writeFileSync(join(dir, 'token.txt'), 's3cret-file-value');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const env = { HOME: '/home/u', TOKEN: 's3cret-env-value', VERSION: '1.2.3' };
const parse = (args: string[], extraEnv: Record<string, string> = {}): BuildOptions =>
  parseBuildOptions(args, { cwd: dir, env: { ...env, ...extraEnv }, homeDir: '/home/u' });

describe('defaults match docker build', () => {
  it('context ., Dockerfile in the context, host platform, gzip, auto progress, the cache work dir', () => {
    const o = parse([]);
    expect(o.contextDir).toBe(dir);
    expect(o.dockerfile).toEqual({ kind: 'file', path: join(dir, 'Dockerfile'), display: 'Dockerfile' });
    expect(o.platform).toEqual(hostPlatform());
    expect(o).toMatchObject({
      tags: [],
      outputs: [],
      buildArgs: {},
      labels: {},
      noCache: false,
      pull: false,
      push: false,
      compression: 'gzip',
      progress: 'auto',
      sourceDateEpoch: { kind: 'unset' },
      workDir: '/home/u/.cache/image-build',
      workDirGiven: false,
    });
  });
});

interface Case {
  readonly name: string;
  readonly given: string[];
  readonly env?: Record<string, string>;
  readonly want: (o: BuildOptions) => unknown;
  readonly expected: unknown;
}

const cases: Case[] = [
  {
    name: 'the context is relative to the working directory, -f too (not to the context)',
    given: ['sub', '-f', 'docker/app.Dockerfile'],
    want: (o) => [o.contextDir, o.dockerfile],
    expected: [
      join(dir, 'sub'),
      { kind: 'file', path: join(dir, 'docker/app.Dockerfile'), display: 'docker/app.Dockerfile' },
    ],
  },
  {
    name: 'the default Dockerfile of a sub-directory context is shown with its path',
    given: ['sub'],
    want: (o) => o.dockerfile,
    expected: { kind: 'file', path: join(dir, 'sub/Dockerfile'), display: 'sub/Dockerfile' },
  },
  { name: '-f - reads stdin', given: ['-f', '-'], want: (o) => o.dockerfile, expected: { kind: 'stdin' } },
  {
    name: '--build-arg K=V, K from the environment, and an unset K skipped',
    given: ['--build-arg', 'A=1', '--build-arg', 'VERSION', '--build-arg', 'UNSET', '--build-arg', 'E='],
    want: (o) => o.buildArgs,
    expected: { A: '1', VERSION: '1.2.3', E: '' },
  },
  {
    name: 'a later --build-arg wins; values keep their = signs',
    given: ['--build-arg', 'A=1', '--build-arg', 'A=x=y'],
    want: (o) => o.buildArgs,
    expected: { A: 'x=y' },
  },
  {
    name: '--label K=V and K alone (empty value)',
    given: ['--label', 'a=b', '--label', 'c'],
    want: (o) => o.labels,
    expected: { a: 'b', c: '' },
  },
  {
    name: 'tags are parsed like docker references',
    given: ['-t', 'hello:dev', '-t', 'ghcr.io/owner/app'],
    want: (o) => o.tags,
    expected: [
      { registry: 'docker.io', repository: 'library/hello', tag: 'dev' },
      { registry: 'ghcr.io', repository: 'owner/app', tag: 'latest' },
    ],
  },
  {
    name: 'outputs: oci:, docker:, oci-archive: and docker type=…,dest=…',
    given: [
      '-o',
      'oci:out/layout',
      '--output',
      'docker:img.tar',
      '-o',
      'oci-archive:/abs/a.tar',
      '-o',
      'type=oci,dest=o2',
    ],
    want: (o) => o.outputs.map((t) => [t.kind, t.path]),
    expected: [
      ['oci', join(dir, 'out/layout')],
      ['docker', join(dir, 'img.tar')],
      ['oci-archive', '/abs/a.tar'],
      ['oci', join(dir, 'o2')],
    ],
  },
  {
    name: '--platform with aliases',
    given: ['--platform', 'linux/aarch64'],
    want: (o) => o.platform,
    expected: { os: 'linux', architecture: 'arm64' },
  },
  {
    name: '--source-date-epoch seconds, git, and SOURCE_DATE_EPOCH from the environment',
    given: ['--source-date-epoch', '1700000000'],
    want: (o) => o.sourceDateEpoch,
    expected: { kind: 'seconds', seconds: 1700000000 },
  },
  {
    name: '--source-date-epoch git',
    given: ['--source-date-epoch', 'git'],
    want: (o) => o.sourceDateEpoch,
    expected: { kind: 'git' },
  },
  {
    name: 'SOURCE_DATE_EPOCH is used when the flag is absent',
    given: [],
    env: { SOURCE_DATE_EPOCH: '42' },
    want: (o) => o.sourceDateEpoch,
    expected: { kind: 'seconds', seconds: 42 },
  },
  {
    name: 'the work dir follows XDG_CACHE_HOME; --work-dir is relative to the working directory',
    given: [],
    env: { XDG_CACHE_HOME: '/xdg' },
    want: (o) => o.workDir,
    expected: '/xdg/image-build',
  },
  {
    name: '--work-dir',
    given: ['--work-dir', 'w'],
    want: (o) => [o.workDir, o.workDirGiven],
    expected: [join(dir, 'w'), true],
  },
  {
    name: 'switches and simple values',
    given: [
      '--no-cache',
      '--pull',
      '--push',
      '-t',
      'r.example/a:1',
      '--compression',
      'zstd',
      '--progress',
      'plain',
      '--target',
      'build',
    ],
    want: (o) => [o.noCache, o.pull, o.push, o.compression, o.progress, o.target],
    expected: [true, true, true, 'zstd', 'plain', 'build'],
  },
  {
    name: '--secret from a file, an env var, type=env, and id alone (env var if set, else a file)',
    given: [
      '--secret',
      'id=a,src=token.txt',
      '--secret',
      'id=b,env=TOKEN',
      '--secret',
      'type=env,id=c,src=TOKEN',
      '--secret',
      'id=TOKEN',
      '--secret',
      'id=token.txt',
    ],
    want: (o) => Object.fromEntries(o.secrets),
    expected: {
      a: { kind: 'file', path: join(dir, 'token.txt') },
      b: { kind: 'value', value: 's3cret-env-value' },
      c: { kind: 'value', value: 's3cret-env-value' },
      TOKEN: { kind: 'value', value: 's3cret-env-value' },
      'token.txt': { kind: 'file', path: join(dir, 'token.txt') },
    },
  },
  {
    name: '--cache-dir with its budgets (sizes with units)',
    given: ['--cache-dir', 'c', '--cache-budget', '500m', '--cache-mount-budget', '1g'],
    want: (o) => o.cache,
    expected: { dir: join(dir, 'c'), budgetBytes: 500 * 1024 ** 2, mountBudgetBytes: 1024 ** 3 },
  },
  { name: 'no --cache-dir, no cache', given: [], want: (o) => o.cache, expected: undefined },
  {
    name: '--iidfile and --metadata-file are relative to the working directory',
    given: ['--iidfile', 'iid', '--metadata-file', 'meta.json'],
    want: (o) => [o.iidFile, o.metadataFile],
    expected: [join(dir, 'iid'), join(dir, 'meta.json')],
  },
];

test.each(cases)('$name', ({ given, env: extra, want, expected }) => {
  expect(want(parse(given, extra))).toEqual(expected);
});

interface ErrorCase {
  readonly name: string;
  readonly given: string[];
  readonly env?: Record<string, string>;
  readonly input: string;
  readonly message: RegExp;
}

const errors: ErrorCase[] = [
  {
    name: 'unknown flag, with a suggestion',
    given: ['--no-cahce'],
    input: '--no-cahce',
    message: /unknown flag \(did you mean --no-cache\?\)/,
  },
  { name: 'unknown short flag', given: ['-x'], input: '-x', message: /unknown flag/ },
  {
    name: 'a string flag without its value',
    given: ['--target'],
    input: '--target',
    message: /needs a value/,
  },
  { name: 'a switch given a value', given: ['--push=yes'], input: '--push', message: /takes no value/ },
  {
    name: 'two contexts',
    given: ['a', 'b'],
    input: 'CONTEXT',
    message: /one build context expected, got 2: a b/,
  },
  { name: 'an upper-case tag', given: ['-t', 'Hello:dev'], input: '--tag', message: /must be lowercase/ },
  {
    name: 'a tag with a digest',
    given: ['-t', `a@sha256:${'0'.repeat(64)}`],
    input: '--tag',
    message: /names a digest/,
  },
  { name: '--push without -t', given: ['--push'], input: '--push', message: /needs at least one -t/ },
  {
    name: 'an output without a kind',
    given: ['-o', 'build/out'],
    input: '--output',
    message: /unknown output "build\/out"/,
  },
  {
    name: 'an unknown output kind',
    given: ['-o', 'tar:x'],
    input: '--output',
    message: /unknown output "tar:x"/,
  },
  { name: 'an output without a path', given: ['-o', 'oci:'], input: '--output', message: /has no path/ },
  {
    name: 'a docker-style output option we do not support',
    given: ['-o', 'type=oci,dest=x,compression=zstd'],
    input: '--output',
    message: /unsupported option "compression"/,
  },
  {
    name: 'a bad platform',
    given: ['--platform', 'linux'],
    input: '--platform',
    message: /expected os\/arch/,
  },
  {
    name: 'several platforms',
    given: ['--platform', 'linux/amd64,linux/arm64'],
    input: '--platform',
    message: /one platform per build/,
  },
  {
    name: 'a bad compression',
    given: ['--compression', 'xz'],
    input: '--compression',
    message: /"xz" is not gzip or zstd/,
  },
  {
    name: 'a bad progress mode',
    given: ['--progress', 'fancy'],
    input: '--progress',
    message: /"fancy" is not auto, plain or tty/,
  },
  {
    name: 'a bad epoch',
    given: ['--source-date-epoch', 'yesterday'],
    input: '--source-date-epoch',
    message: /"yesterday" is not a number of seconds/,
  },
  {
    name: 'a bad SOURCE_DATE_EPOCH',
    given: [],
    env: { SOURCE_DATE_EPOCH: '1.5' },
    input: 'SOURCE_DATE_EPOCH',
    message: /"1.5" is not a number/,
  },
  {
    name: 'a cache budget without --cache-dir',
    given: ['--cache-budget', '1g'],
    input: '--cache-budget',
    message: /needs --cache-dir/,
  },
  {
    name: 'a cache budget that is not a size',
    given: ['--cache-dir', 'c', '--cache-mount-budget', 'lots'],
    input: '--cache-mount-budget',
    message: /"lots" is not a size/,
  },
  {
    name: 'a build arg without a name',
    given: ['--build-arg', '=v'],
    input: '--build-arg',
    message: /has no name before "="/,
  },
  {
    name: 'a secret without id',
    given: ['--secret', 'src=token.txt'],
    input: '--secret',
    message: /has no id/,
  },
  {
    name: 'a secret file that does not exist',
    given: ['--secret', 'id=x,src=nope'],
    input: '--secret',
    message: /"nope" is not a readable file/,
  },
  {
    name: 'a secret env var that is not set',
    given: ['--secret', 'id=x,env=NOPE'],
    input: '--secret',
    message: /NOPE is not set/,
  },
  {
    name: 'a secret with an unknown field',
    given: ['--secret', 'id=x,mode=0400'],
    input: '--secret',
    message: /unknown field "mode"/,
  },
  {
    name: 'a secret of an unknown type',
    given: ['--secret', 'id=x,type=ssh'],
    input: '--secret',
    message: /unsupported secret type "ssh"/,
  },
  {
    name: 'a secret field that is not key=value',
    given: ['--secret', 'id=x,token.txt'],
    input: '--secret',
    message: /is not key=value/,
  },
];

test.each(errors)('error: $name', ({ given, env: extra, input, message }) => {
  let caught: unknown;
  try {
    parse(given, extra);
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(InputError);
  expect((caught as InputError).input).toBe(input);
  expect((caught as InputError).userMessage()).toMatch(message);
  expect((caught as InputError).userMessage()).not.toMatch(/\n|s3cret/);
});
