/**
 * How builds fail through the CLI: one `error: Dockerfile:N: …` line and exit code 1, the RUN's last output
 * lines before it; SIGINT/SIGTERM abort the build, clean up and exit 130/143; a user who cannot get root gets
 * the options, not a stack trace.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { BuildStepError } from '../../src/errors.js';
import { planRootAccess } from '../../src/cli/root-access.js';
import { makeContext, runBundle, runners, runSource, tempDir, type RerunRequest } from './cli-harness.js';

const tmp = tempDir('ib-cli-fail-');
const work = join(tmp.dir, 'work');
afterAll(() => tmp.cleanup());

interface FailureCase {
  readonly name: string;
  readonly dockerfile: string;
  readonly want: { readonly error: RegExp; readonly before?: readonly (string | RegExp)[] };
}

const failures: FailureCase[] = [
  {
    name: 'a RUN exits non-zero: file:line, the exit code, and its last output lines',
    dockerfile: 'FROM scratch\nCOPY rootfs/ /\nRUN echo first line && echo second line >&2 && exit 3\n',
    want: {
      error:
        /^error: Dockerfile:3: process "\/bin\/sh -c echo first line && echo second line >&2 && exit 3" did not complete successfully: exit code: 3 — last output: first line \| second line$/,
      before: [
        '------',
        /^ > \[\S+ 2\/2\] RUN echo first line && echo second line >&2 && exit 3:$/,
        '#3 first line',
        '#3 second line',
        '------',
      ],
    },
  },
  {
    name: 'an unknown instruction',
    dockerfile: 'FROM scratch\nCOPYY a b\n',
    want: { error: /^error: Dockerfile:2: .*COPYY/ },
  },
  {
    name: 'a COPY source that is not in the context',
    dockerfile: 'FROM scratch\nCOPY missing.txt /\n',
    want: { error: /^error: Dockerfile:2: COPY source "missing\.txt" not found in the build context/ },
  },
  {
    name: 'an unknown --target',
    dockerfile: 'FROM scratch AS one\n',
    want: { error: /^error: .*"nope"/ },
  },
];

describe.each(runners)('from the %s', (_how, run) => {
  test.each(failures)('$name', async ({ name, dockerfile, want }) => {
    const ctx = makeContext(join(tmp.dir, `${_how}-${name.replace(/[^a-z0-9]+/gi, '-')}`), {
      Dockerfile: dockerfile,
    });
    const target = name.includes('--target') ? ['--target', 'nope'] : [];
    const r = await run(['build', '.', '--work-dir', work, '--progress', 'plain', ...target], { cwd: ctx });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines.at(-1)).toMatch(want.error);
    if (want.before) {
      const shown = lines.slice(-1 - want.before.length, -1);
      want.before.forEach((w, i) =>
        typeof w === 'string' ? expect(shown[i]).toBe(w) : expect(shown[i]).toMatch(w),
      );
    }
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });
});

describe('signals', () => {
  const cases = [
    { name: 'SIGINT', signal: 'SIGINT', code: 130, marker: 987 },
    { name: 'SIGTERM', signal: 'SIGTERM', code: 143, marker: 988 },
  ] as const;
  test.each(cases)(
    '$name during a RUN aborts the build, cleans up and exits $code',
    async ({ signal, code, marker }) => {
      const ctx = makeContext(join(tmp.dir, `signal-${signal}`), {
        Dockerfile: `FROM scratch\nCOPY rootfs/ /\nRUN echo waiting && sleep ${marker}\n`,
      });
      let sent = false;
      const r = await runBundle(['build', '.', '--work-dir', work, '--progress', 'plain'], {
        cwd: ctx,
        onStderr: (text, child) => {
          if (!sent && /#\d+ waiting\n/.test(text)) {
            sent = true;
            child.kill(signal);
          }
        },
      });
      expect(sent).toBe(true);
      expect(r.code).toBe(code);
      expect(r.stderr.trimEnd().split('\n').at(-1)).toBe(`error: interrupted by ${signal}`);
      expect(execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })).not.toContain(`sleep ${marker}`);
      expect(readFileSync('/proc/self/mounts', 'utf8')).not.toContain(work);
    },
  );
});

describe('root access', () => {
  it('a user without root, sudo or a subuid range gets the options in one line', async () => {
    const ctx = makeContext(join(tmp.dir, 'nobody'), { Dockerfile: 'FROM scratch\n' });
    const r = await runBundle(['build', ctx, '--work-dir', join(tmp.dir, 'nobody-work')], {
      wrapper: ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'],
      cwd: '/',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^error: building needs root \(overlay mounts and namespaces for RUN steps\), and .*: run as root, allow passwordless sudo for this user/,
    );
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  test.each(['sudo', 'userns'] as const)(
    'a user who can get root (%s): the same command again, with the work dir and docker config pinned',
    async (method) => {
      const reruns: RerunRequest[] = [];
      const r = await runSource(['build', '-t', 'a:1', '--', 'ctx'], {
        uid: 4321,
        env: { XDG_CACHE_HOME: '/home/u/.cache', DOCKER_CONFIG: undefined, IMAGE_BUILD_SUDO: undefined },
        rootAccess: { kind: method },
        reruns,
      });
      expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
      expect(reruns).toEqual([
        {
          method,
          // flags go first: after `--` they would be positionals
          args: ['build', '--work-dir', '/home/u/.cache/image-build', '-t', 'a:1', '--', 'ctx'],
          env: { DOCKER_CONFIG: join(homedir(), '.docker') },
        },
      ]);
    },
  );

  const plans = [
    { name: 'root runs as root', uid: 0, env: {}, access: undefined, want: { kind: 'run', mode: 'root' } },
    {
      name: 'root inside our user namespace uses the userns privilege',
      uid: 0,
      env: { IMAGE_BUILD_SUDO: 'userns' },
      access: undefined,
      want: { kind: 'run', mode: 'userns' },
    },
    {
      name: 'a user with passwordless sudo re-runs under sudo',
      uid: 1000,
      env: {},
      access: 'sudo',
      want: { kind: 'rerun', method: 'sudo' },
    },
    {
      name: 'a user with a subuid range re-runs in a user namespace',
      uid: 1000,
      env: {},
      access: 'userns',
      want: { kind: 'rerun', method: 'userns' },
    },
    { name: 'a user with neither fails', uid: 1000, env: {}, access: 'none', want: { kind: 'fail' } },
    {
      name: 'a re-run that is still not root fails instead of looping',
      uid: 1000,
      env: { IMAGE_BUILD_SUDO: '1' },
      access: 'sudo',
      want: { kind: 'fail' },
    },
  ] as const;
  test.each(plans)('$name', ({ uid, env, access, want }) => {
    const plan = planRootAccess(uid, env, () =>
      access === 'none' ? { kind: 'none', reason: 'no way' } : { kind: access ?? 'root' },
    );
    expect(plan.kind).toBe(want.kind);
    if (plan.kind === 'run' && 'mode' in want) expect(plan.privilege.mode).toBe(want.mode);
    if (plan.kind === 'rerun' && 'method' in want) expect(plan.method).toBe(want.method);
    if (plan.kind === 'fail') expect(plan.error).toBeInstanceOf(BuildStepError);
  });
});
