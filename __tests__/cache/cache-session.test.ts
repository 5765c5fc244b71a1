import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootPrivilege } from '../../src/build/rootfs/privilege.js';
import { resumeCache, sessionFile, type CacheOptions } from '../../src/cache/index.js';
import { hostPlatform } from '../../src/oci/platform.js';
import { CacheBench, built } from './cache-helpers.js';

const df = ['FROM scratch', 'COPY rootfs/ /', 'COPY app.txt /app/', 'RUN cp /app/app.txt /app/copy'].join(
  '\n',
);

let bench: CacheBench;
let dir: string;
const backend = () => ({ kind: 'local' as const, dir });
const onRef = (ref: string): Partial<CacheOptions> => ({
  scope: { ref, defaultRef: 'refs/heads/main', platform: hostPlatform(), dockerfile: 'Dockerfile' },
});

beforeEach(() => {
  bench = new CacheBench();
  bench.write('app.txt', 'v1\n');
  dir = mkdtempSync(join(tmpdir(), 'ib-cache-dir-'));
});
afterEach(() => {
  bench.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('cache session between the action main and post steps', () => {
  it('main suspends what the build used; post (another process) resumes it and saves', async () => {
    const t = await bench.machine();
    const main = await bench.open(t, { backend: backend() });
    const result = await bench.build(t, df, main);
    main.noteBuild(result);
    await main.suspend(sessionFile(t.host.workRoot));
    expect(readdirSync(dir)).toEqual([]); // main saved nothing

    const post = await resumeCache(
      {
        backend: backend(),
        scope: { ref: 'refs/heads/main', platform: hostPlatform(), dockerfile: 'Dockerfile' },
        run: { id: 'main-run', attempt: 1 },
        store: t.host.store,
        workRoot: t.host.workRoot,
        privilege: rootPrivilege,
        hostEnv: t.host.hostEnv,
        logger: t.logger,
        clock: bench.clock,
      },
      sessionFile(t.host.workRoot),
    );
    const report = await post.save();
    expect(report.saved.keys.map((k) => k.split('-').slice(0, 3).join('-'))).toEqual([
      'image-build-pack',
      'image-build-index',
    ]);
    expect(report.lookups).toEqual({ hits: 0, misses: 3 });
    const next = await bench.ciRun(df, { backend: backend() });
    expect(built(next.result)).toEqual([]);
  });

  it('post without a suspended session (main stopped early) saves nothing', async () => {
    const t = await bench.machine();
    const post = await resumeCache(
      {
        backend: backend(),
        scope: { ref: 'refs/heads/main', platform: hostPlatform(), dockerfile: 'Dockerfile' },
        run: { id: 'x', attempt: 1 },
        store: t.host.store,
        workRoot: t.host.workRoot,
        privilege: rootPrivilege,
        hostEnv: t.host.hostEnv,
        logger: t.logger,
        clock: bench.clock,
      },
      sessionFile(t.host.workRoot),
    );
    expect((await post.save()).saved.entries).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('scopes', () => {
  it('a pull request restores the default branch index, saves its own, and main keeps its own', async () => {
    await bench.ciRun(df, { backend: backend(), ...onRef('refs/heads/main') });
    bench.write('app.txt', 'pr\n');
    const pr = await bench.ciRun(df, { backend: backend(), ...onRef('refs/pull/7/merge') });
    expect(pr.report.index).toMatchObject({ kind: 'restored', from: 'default-branch' });
    expect(built(pr.result)).toEqual(['COPY app.txt /app/', 'RUN cp /app/app.txt /app/copy']);
    expect(pr.report.saved.keys.find((k) => k.startsWith('image-build-index-'))).toContain(pr.report.scope);

    const prAgain = await bench.ciRun(df, { backend: backend(), ...onRef('refs/pull/7/merge') });
    expect(prAgain.report.index).toMatchObject({ kind: 'restored', from: 'scope' });
    expect(built(prAgain.result)).toEqual([]);

    bench.write('app.txt', 'v1\n');
    const main = await bench.ciRun(df, { backend: backend(), ...onRef('refs/heads/main') });
    expect(main.report.index).toMatchObject({ kind: 'restored', from: 'scope' });
    expect(built(main.result)).toEqual([]);
  });

  it('another platform or Dockerfile is another scope: no cross-talk', async () => {
    const first = await bench.ciRun(df, { backend: backend() });
    const others = [
      { ref: 'refs/heads/main', platform: hostPlatform(), dockerfile: 'docker/Dockerfile.prod' },
      {
        ref: 'refs/heads/main',
        platform: { os: 'linux', architecture: 'riscv64' },
        dockerfile: 'Dockerfile',
      },
    ];
    for (const scope of others) {
      const other = await bench.open(await bench.machine(), { backend: backend(), scope });
      expect(other.report().index).toEqual({ kind: 'none' });
      expect(other.report().scope).not.toBe(first.report.scope);
    }
  });

  it('a read-only run restores and uses the cache but saves nothing, and says why', async () => {
    await bench.ciRun(df, { backend: backend() });
    const before = readdirSync(join(dir, 'entries')).sort();
    bench.write('app.txt', 'fork\n');
    const ro = await bench.ciRun(df, {
      backend: backend(),
      readOnly: true,
      readOnlyReason: 'pull request from a fork',
    });
    expect(built(ro.result)).toEqual(['COPY app.txt /app/', 'RUN cp /app/app.txt /app/copy']);
    expect(ro.report.access).toEqual({ kind: 'read-only', reason: 'pull request from a fork' });
    expect(ro.report.saved.entries).toBe(0);
    expect(readdirSync(join(dir, 'entries')).sort()).toEqual(before);
  });
});
