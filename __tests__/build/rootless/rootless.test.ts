import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { usernsUnshareArgs } from '../../../src/build/rootfs/run-as-root.js';
import { writeBusyboxRootfs } from '../../helpers/busybox-rootfs.js';

const here = dirname(fileURLToPath(import.meta.url));
const user = 'ib-rootless';

/**
 * Rootless builds: an ordinary user with a /etc/subuid range builds inside a user namespace of its own — RUN,
 * overlay (userxattr), whiteouts, opaque dirs, chown to other ids — and umoci accepts the image.
 */
beforeAll(() => {
  if (spawnSync('id', [user]).status !== 0) execFileSync('useradd', ['--create-home', user]);
  const subuid = readFileSync('/etc/subuid', 'utf8');
  if (!subuid.includes(`${user}:`)) {
    execFileSync('usermod', ['--add-subuids', '200000-265535', '--add-subgids', '200000-265535', user]);
  }
});

it('builds with RUN, deletions and other owners as a non-root user', () => {
  const base = mkdtempSync(join(tmpdir(), 'ib-rootless-'));
  chmodSync(base, 0o755);
  try {
    const ctx = join(base, 'ctx');
    writeBusyboxRootfs(join(ctx, 'rootfs'));
    writeFileSync(
      join(ctx, 'Dockerfile'),
      [
        'FROM scratch',
        'COPY rootfs/ /',
        'RUN mkdir -p /srv/cache && echo a > /srv/cache/old && echo x > /gone && chown 1000:1000 /srv/cache',
        'RUN rm /gone && rm -rf /srv/cache && mkdir /srv/cache && echo b > /srv/cache/new && id -u > /who',
        'COPY --chown=1001:1001 Dockerfile /copied',
      ].join('\n'),
    );
    const work = join(base, 'work');
    execFileSync('mkdir', ['-p', work]);
    execFileSync('chown', ['-R', `${user}:${user}`, base]);
    const node = process.execPath;
    const script = join(here, 'rootless-build.ts');
    const loader = join(here, '..', '..', 'helpers', 'ts-loader.mjs');
    const out = execFileSync(
      'runuser',
      [
        '-u',
        user,
        '--',
        'unshare',
        ...usernsUnshareArgs,
        '--',
        node,
        '--experimental-transform-types',
        '--no-warnings',
        '--import',
        loader,
        script,
        ctx,
        work,
      ],
      { encoding: 'utf8', cwd: base },
    );
    const r = JSON.parse(out) as { uid: number; digest: string; steps: string[] };
    expect(r.uid).toBe(0);
    expect(r.steps).toEqual(['config', 'built', 'built', 'built', 'built']);
    // the store belongs to the user outside the namespace
    expect(statSync(join(work, 'store', 'index.json')).uid).not.toBe(0);
    const bundle = join(base, 'bundle');
    execFileSync('umoci', ['unpack', '--image', `${join(work, 'store')}:rootless:test`, bundle]);
    const rootfs = join(bundle, 'rootfs');
    expect(readFileSync(join(rootfs, 'srv/cache/new'), 'utf8')).toBe('b\n');
    expect(() => statSync(join(rootfs, 'srv/cache/old'))).toThrow();
    expect(() => statSync(join(rootfs, 'gone'))).toThrow();
    expect(readFileSync(join(rootfs, 'who'), 'utf8')).toBe('0\n');
    expect(statSync(join(rootfs, 'copied')).uid).toBe(1001);
    expect(statSync(join(rootfs, 'srv/cache')).uid).toBe(0);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});
