import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BuildResult } from '../../src/build/types.js';
import type { TestBuildHost } from '../helpers/build-host.js';
import { CacheBench, built } from './cache-helpers.js';

const counting = [
  'FROM scratch',
  'COPY rootfs/ /',
  'COPY app.txt /app/',
  'RUN --mount=type=cache,target=/var/cache/app,uid=1000 sh -c "echo run >> /var/cache/app/log && wc -l < /var/cache/app/log > /app/count && chown 1000 /var/cache/app/log"',
].join('\n');

const reading = [
  'FROM scratch',
  'COPY rootfs/ /',
  'COPY app.txt /app/',
  'RUN --mount=type=cache,target=/var/cache/app,uid=1000 sh -c "wc -l < /var/cache/app/log > /app/seen"',
].join('\n');

let bench: CacheBench;
let dir: string;
const backend = () => ({ kind: 'local' as const, dir });

beforeEach(() => {
  bench = new CacheBench();
  dir = mkdtempSync(join(tmpdir(), 'ib-cache-dir-'));
});
afterEach(() => {
  bench.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

/** A file of the built image's top layer (the RUN's). */
function topLayerFile(t: TestBuildHost, r: BuildResult, path: string): string {
  const blob = t.host.store.blobPath(r.image.manifest.layers.at(-1)!.digest);
  return execFileSync('tar', ['-xzOf', blob, path], { encoding: 'utf8' }).trim();
}

function mountEntries(): string[] {
  return readdirSync(join(dir, 'entries')).filter((e) => e.startsWith('image-build-mount-'));
}

describe('RUN --mount=type=cache across runs', () => {
  it('a cache mount written in one run is there, with its owner, in the next run on a fresh machine', async () => {
    bench.write('app.txt', 'v1\n');
    const first = await bench.ciRun(counting, { backend: backend() });
    expect(topLayerFile(first.t, first.result, 'app/count')).toBe('1');
    expect(first.report.saved.keys.filter((k) => k.startsWith('image-build-mount-'))).toHaveLength(1);

    bench.write('app.txt', 'v2\n');
    const second = await bench.ciRun(counting, { backend: backend() });
    expect(built(second.result)).toHaveLength(2);
    expect(topLayerFile(second.t, second.result, 'app/count')).toBe('2');
    const mountDir = readdirSync(join(second.t.host.workRoot, 'cache-mounts'))[0]!;
    const owner = execFileSync(
      'stat',
      ['-c', '%u', join(second.t.host.workRoot, 'cache-mounts', mountDir, 'log')],
      {
        encoding: 'utf8',
      },
    );
    expect(owner.trim()).toBe('1000');
    // the changed mount is a new snapshot; the index now points at it and the old one was deleted
    expect(second.report.saved.keys.filter((k) => k.startsWith('image-build-mount-'))).toHaveLength(1);
    expect(mountEntries()).toHaveLength(1);
  });

  it('a fully cached build downloads no mount; a RUN that only reads the mount saves no new snapshot', async () => {
    bench.write('app.txt', 'v1\n');
    await bench.ciRun(counting, { backend: backend() });
    const cached = await bench.ciRun(counting, { backend: backend() });
    expect(built(cached.result)).toEqual([]);
    expect(cached.report.restored.entries).toBe(1); // the index
    expect(cached.report.saved.entries).toBe(0);

    const before = mountEntries();
    const read = await bench.ciRun(reading, { backend: backend() });
    expect(topLayerFile(read.t, read.result, 'app/seen')).toBe('1');
    expect(read.report.saved.keys.filter((k) => k.startsWith('image-build-mount-'))).toEqual([]);
    expect(mountEntries()).toEqual(before);
  });

  it('mount snapshots have their own budget: one that does not fit is not saved, the layers still are', async () => {
    bench.write('app.txt', 'v1\n');
    const big = counting.replace(
      'echo run >>',
      'head -c 3000000 /dev/urandom > /var/cache/app/blob; echo run >>',
    );
    const r = await bench.ciRun(big, { backend: backend(), mountBudgetBytes: 1024 ** 2 });
    expect(r.report.saved.keys.filter((k) => k.startsWith('image-build-mount-'))).toEqual([]);
    expect(r.report.saved.keys.filter((k) => k.startsWith('image-build-pack-'))).toHaveLength(1);
    expect(mountEntries()).toEqual([]);
  });

  it('a snapshot altered in the cache (still a valid archive) is not extracted: one warning, an empty mount', async () => {
    bench.write('app.txt', 'v1\n');
    await bench.ciRun(counting, { backend: backend() });
    // someone with write access to the cache puts other contents under the same entry
    const [entry] = mountEntries();
    const forged = mkdtempSync(join(tmpdir(), 'ib-forged-'));
    try {
      execFileSync('sh', ['-c', `printf 'a\\nb\\nc\\n' > ${forged}/log`]);
      execFileSync('tar', ['-czf', join(dir, 'entries', entry!, 'mount.tar.gz'), '-C', forged, '.']);
    } finally {
      rmSync(forged, { recursive: true, force: true });
    }
    bench.write('app.txt', 'v2\n');
    const r = await bench.ciRun(counting, { backend: backend() });
    const warnings = r.t.logger.lines.filter((l) => l.level === 'warn').map((l) => l.message);
    expect(warnings).toEqual([
      expect.stringMatching(/^cache mount .* was not restored: cache entry .* is corrupt/),
    ]);
    // the forged log (3 lines) was never seen: the RUN started from an empty mount
    expect(topLayerFile(r.t, r.result, 'app/count')).toBe('1');
  });
});
