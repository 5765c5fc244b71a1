/**
 * The re-run under sudo, for real: when this suite itself runs as root through sudo (CI: `sudo -E npm test` on a
 * GitHub-hosted runner, whose user has passwordless sudo), the test drops back to that user (SUDO_UID/SUDO_GID)
 * and runs `image-build build`: the command must re-run itself under `sudo -n`, build, and give the outputs back
 * to the user. Elsewhere (no SUDO_USER with passwordless sudo) there is nobody to be, and the test is skipped.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeContext, runBundle, tempDir } from './cli-harness.js';

const uid = Number(process.env['SUDO_UID']);
const gid = Number(process.env['SUDO_GID']);
const asUser = ['setpriv', `--reuid=${uid}`, `--regid=${gid}`, '--init-groups'];
const runnable =
  process.getuid?.() === 0 &&
  Number.isInteger(uid) &&
  uid > 0 &&
  spawnSync(asUser[0]!, [...asUser.slice(1), 'sudo', '-n', 'true'], { stdio: 'ignore' }).status === 0;

(runnable ? it : it.skip)(
  'a user with passwordless sudo: build re-runs under sudo and hands the outputs back',
  async () => {
    const tmp = tempDir('ib-cli-sudo-');
    try {
      chmodSync(tmp.dir, 0o755);
      const ctx = makeContext(join(tmp.dir, 'ctx'), {
        Dockerfile: 'FROM scratch\nCOPY rootfs/ /\nRUN id -u > /uid\n',
      });
      execFileSync('chmod', ['-R', 'a+rX', ctx]);
      const out = join(tmp.dir, 'out');
      const iid = join(tmp.dir, 'iid');
      const r = await runBundle(
        [
          'build',
          ctx,
          '--work-dir',
          join(tmp.dir, 'work'),
          '--progress',
          'plain',
          '-o',
          `oci:${out}`,
          '--iidfile',
          iid,
        ],
        { wrapper: asUser, cwd: tmp.dir, env: { IMAGE_BUILD_SUDO: undefined } },
      );
      expect({ code: r.code, stderr: r.code === 0 ? '' : r.stderr }).toEqual({ code: 0, stderr: '' });
      for (const p of [out, join(out, 'index.json'), iid])
        expect([lstatSync(p).uid, lstatSync(p).gid]).toEqual([uid, gid]);
      expect(readFileSync(iid, 'utf8')).toMatch(/^sha256:/);
    } finally {
      tmp.cleanup();
    }
  },
);
