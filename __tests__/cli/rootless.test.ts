/**
 * The rootless path, for real: an ordinary user with a /etc/subuid range (the `ib-rootless` user the builder's
 * rootless suite uses, created the same way when missing) runs `image-build build`; with no sudo it must re-run
 * itself as root of a user namespace, and build the same image, digest for digest, as root does. Skipped where the
 * kernel refuses that user a user namespace (e.g. ubuntu-24.04's default AppArmor policy).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { usernsUnshareArgs } from '../../src/build/rootfs/run-as-root.js';
import { makeContext, runBundle, tempDir, type CliRun } from './cli-harness.js';

const user = 'ib-rootless';

function ensureUser(): boolean {
  if (process.getuid?.() !== 0) return false;
  if (spawnSync('id', [user]).status !== 0) execFileSync('useradd', ['--create-home', user]);
  if (!readFileSync('/etc/subuid', 'utf8').includes(`${user}:`))
    execFileSync('usermod', ['--add-subuids', '200000-265535', '--add-subgids', '200000-265535', user]);
  const sudo = spawnSync('runuser', ['-u', user, '--', 'sudo', '-n', 'true'], { stdio: 'ignore' });
  const userns = spawnSync('runuser', ['-u', user, '--', 'unshare', ...usernsUnshareArgs, 'true'], {
    stdio: 'ignore',
  });
  return sudo.status !== 0 && userns.status === 0;
}

const runnable = ensureUser();

(runnable ? it : it.skip)(
  'a user with a subuid range builds in a user namespace, the same image as root',
  async () => {
    const tmp = tempDir('ib-cli-rootless-');
    try {
      chmodSync(tmp.dir, 0o755);
      const ctx = makeContext(join(tmp.dir, 'ctx'), {
        Dockerfile:
          'FROM scratch\nCOPY rootfs/ /\nRUN mkdir /data && chown 1000:1000 /data && echo hi > /data/f\n',
      });
      const mine = join(tmp.dir, 'user');
      mkdirSync(mine);
      execFileSync('chown', ['-R', user, ctx, mine]); // one context for both builds, readable by the user
      const args = (dir: string): string[] => [
        'build',
        ctx,
        '--work-dir',
        join(dir, 'work'),
        '--source-date-epoch',
        '1700000000',
        '-o',
        `oci:${join(dir, 'out')}`,
      ];
      const digest = (r: CliRun): string => {
        expect({ code: r.code, stderr: r.code === 0 ? '' : r.stderr }).toEqual({ code: 0, stderr: '' });
        return r.stdout.trim();
      };
      const rootless = digest(
        await runBundle(args(mine), { wrapper: ['runuser', '-u', user, '--'], cwd: mine }),
      );
      const root = digest(await runBundle(args(tmp.dir)));
      expect(rootless).toBe(root);
    } finally {
      tmp.cleanup();
    }
  },
);
