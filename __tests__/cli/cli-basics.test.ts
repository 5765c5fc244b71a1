/**
 * The command line itself, from the bundle and from source: help, version, unknown commands, flag errors as
 * one `error:` line with exit code 1, and the bundle as an executable (`#!/usr/bin/env node`).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { bundlePath, runners } from './cli-harness.js';

const version = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

interface Case {
  readonly name: string;
  readonly given: string[];
  readonly want: { readonly code: number; readonly stdout?: RegExp; readonly stderr?: RegExp };
}

const cases: Case[] = [
  {
    name: 'version',
    given: ['version'],
    want: { code: 0, stdout: new RegExp(`^image-build ${version} \\(node v\\d+`) },
  },
  { name: '--version', given: ['--version'], want: { code: 0, stdout: /^image-build \d+\.\d+\.\d+ / } },
  {
    name: '--help lists the commands',
    given: ['--help'],
    want: { code: 0, stdout: /Commands:\n {2}build .*\n {2}push .*\n {2}pull / },
  },
  {
    name: 'no command: usage on stderr, exit 1',
    given: [],
    want: { code: 1, stderr: /^Usage: image-build <command>/ },
  },
  {
    name: 'build --help: flags and examples',
    given: ['build', '--help'],
    want: {
      code: 0,
      stdout:
        /--secret id=ID,src=FILE[\s\S]*--output oci:DIR[\s\S]*Examples:\n {2}image-build build \. -t hello:dev/,
    },
  },
  {
    name: 'push --help',
    given: ['push', '-h'],
    want: { code: 0, stdout: /^Usage: image-build push SOURCE REF\.\.\./ },
  },
  {
    name: 'pull --help',
    given: ['pull', '--help'],
    want: { code: 0, stdout: /^Usage: image-build pull REF/ },
  },
  {
    name: 'unknown command',
    given: ['biuld'],
    want: { code: 1, stderr: /^error: unknown command "biuld" — run image-build --help/ },
  },
  {
    name: 'unknown flag: one line naming it, with a suggestion',
    given: ['build', '--tagg', 'x'],
    want: {
      code: 1,
      stderr:
        /^error: input '--tagg': unknown flag \(did you mean --tag\?\) — see image-build build --help\n$/,
    },
  },
  {
    name: 'a bad output kind',
    given: ['build', '-o', 'zip:out.zip'],
    want: {
      code: 1,
      stderr:
        /^error: input '--output': unknown output "zip:out\.zip" — use oci:DIR, docker:FILE or oci-archive:FILE\n$/,
    },
  },
  {
    name: 'a missing context directory',
    given: ['build', '/nonexistent/context', '--work-dir', '/tmp/ib-cli-unused'],
    want: {
      code: 1,
      stderr:
        /error: input '--file': cannot read the Dockerfile "\/nonexistent\/context\/Dockerfile" \(ENOENT\)/,
    },
  },
  {
    name: 'push without refs',
    given: ['push', 'oci:x'],
    want: { code: 1, stderr: /^error: input 'push': needs a SOURCE and at least one REF/ },
  },
  {
    name: 'push from something that is not a layout',
    given: ['push', 'docker-archive:x.tar', 'r.example/a:1'],
    want: { code: 1, stderr: /^error: input 'SOURCE': "docker-archive:x\.tar" is not an OCI layout source/ },
  },
  {
    name: 'push from a directory that is not a layout',
    given: ['push', 'oci:/nonexistent-layout:dev', 'r.example/a:1'],
    want: {
      code: 1,
      stderr:
        /^error: input 'SOURCE': "\/nonexistent-layout" is not an OCI image layout \(no oci-layout file\)/,
    },
  },
  {
    name: 'pull without a ref',
    given: ['pull'],
    want: { code: 1, stderr: /^error: input 'pull': needs exactly one REF, got 0/ },
  },
  {
    name: 'pull with a bad ref',
    given: ['pull', 'Bad/Name'],
    want: { code: 1, stderr: /^error: input .REF.: repository name "Name" in "Bad\/Name" must be lowercase/ },
  },
];

describe.each(runners)('from the %s', (_how, run) => {
  test.each(cases)('$name', async ({ given, want }) => {
    const r = await run(given);
    expect({ code: r.code }).toEqual({ code: want.code });
    if (want.stdout) expect(r.stdout).toMatch(want.stdout);
    else expect(r.stdout).toBe('');
    if (want.stderr) expect(r.stderr).toMatch(want.stderr);
    else expect(r.stderr).toBe('');
    expect(r.stderr).not.toMatch(/^\s+at /m); // no stack trace without --debug
  });
});

describe('the bundle', () => {
  it('is an executable ES module with a node shebang, runnable on the system Node too', () => {
    const text = readFileSync(bundlePath, 'utf8');
    expect(text.startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(statSync(bundlePath).mode & 0o111).toBe(0o111);
    // Run through the shebang: whatever `node` is first on PATH outside npm (the system Node here).
    const out = execFileSync(bundlePath, ['version'], {
      encoding: 'utf8',
      env: {
        PATH: (process.env.PATH ?? '')
          .split(':')
          .filter((p) => !p.includes('node_modules'))
          .join(':'),
      },
    });
    expect(out).toMatch(/^image-build \d+\.\d+\.\d+ \(node v\d+/);
  });

  it('shows a stack trace only with --debug or IMAGE_BUILD_DEBUG=1', async () => {
    const [, run] = runners[0]!;
    const plain = await run(['push', 'oci:/nonexistent-layout', 'r.example/a:1']);
    const debug = await run(['push', 'oci:/nonexistent-layout', 'r.example/a:1', '--debug']);
    const env = await run(['push', 'oci:/nonexistent-layout', 'r.example/a:1'], {
      env: { IMAGE_BUILD_DEBUG: '1' },
    });
    expect(plain.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(debug.stderr).toMatch(/\n\s+at /);
    expect(env.stderr).toMatch(/\n\s+at /);
  });
});
