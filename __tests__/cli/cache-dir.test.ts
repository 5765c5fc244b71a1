/**
 * `--cache-dir`: the cross-run layer cache on a local directory. A build on a machine with an empty work dir
 * (a fresh CI runner) but the cache of an earlier build runs no step again, gives the same image, and fetches
 * the cached layers only because the export needs them.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeContext, runBundle, tempDir, type CliRun } from './cli-harness.js';

const tmp = tempDir('ib-cli-cache-');
afterAll(() => tmp.cleanup());

const ok = (r: CliRun): string => {
  expect({ code: r.code, stderr: r.code === 0 ? '' : r.stderr }).toEqual({ code: 0, stderr: '' });
  return r.stdout.trim();
};

it('a second build with a fresh work dir takes every step from the cache dir', async () => {
  const ctx = makeContext(join(tmp.dir, 'ctx'), {
    Dockerfile: 'FROM scratch\nCOPY rootfs/ /\nRUN echo ran > /ran && echo step-ran\nCOPY Dockerfile /df\n',
  });
  const cacheDir = join(tmp.dir, 'cache');
  const common = [
    'build',
    ctx,
    '--cache-dir',
    cacheDir,
    '--source-date-epoch',
    '1700000000',
    '--progress',
    'plain',
  ];
  const first = await runBundle([...common, '--work-dir', join(tmp.dir, 'work1')]);
  const digest = ok(first);
  expect(first.stderr).toMatch(/^#\d+ step-ran$/m);
  expect(first.stderr).toMatch(
    /cache [0-9a-f]+: 0 hits, 3 misses; restored 0 entries \(0 bytes\), saved [1-9]\d* \(\d+ bytes\)/,
  );
  expect(readdirSync(cacheDir).length).toBeGreaterThan(0);

  const out = join(tmp.dir, 'out');
  const second = await runBundle([...common, '--work-dir', join(tmp.dir, 'work2'), '-o', `oci:${out}`]);
  expect(ok(second)).toBe(digest);
  expect(second.stderr).not.toMatch(/^#\d+ step-ran$/m);
  expect(second.stderr.split('\n').filter((l) => / CACHED$/.test(l))).toHaveLength(3);
  expect(second.stderr).toMatch(/: 3 hits, 0 misses; restored [1-9]\d* entries/);
  const bundle = join(tmp.dir, 'bundle');
  execFileSync('umoci', ['unpack', '--image', `${out}:latest`, bundle], { stdio: 'pipe' });
  expect(readFileSync(join(bundle, 'rootfs', 'ran'), 'utf8')).toBe('ran\n');
});
