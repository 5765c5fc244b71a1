import { jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BuildRequest } from '../../src/build/types.js';
import { indexPrefix, scopeId, type CacheOptions } from '../../src/cache/index.js';
import { silentLogger } from '../../src/log.js';
import { hostPlatform } from '../../src/oci/platform.js';
import { CacheBench, built, type CacheRun } from './cache-helpers.js';
import {
  CacheWriteDeniedError,
  FakeGitHubCache,
  failures,
  ReserveCacheError,
  ValidationError,
  type SaveHook,
} from './fake-github-cache.js';

const fake = new FakeGitHubCache();
jest.unstable_mockModule('@actions/cache', () => fake.module);
const { GhaCacheStore } = await import('../../src/action/gha-cache-store.js');

const df = [
  'FROM scratch',
  'COPY rootfs/ /',
  'RUN echo one > /one',
  'COPY app.txt /app/',
  'RUN cp /app/app.txt /app/copy',
].join('\n');
const scope = {
  ref: 'refs/pull/3/merge',
  defaultRef: 'refs/heads/main',
  platform: hostPlatform(),
  dockerfile: 'Dockerfile',
};

let bench: CacheBench;
let workRoot: string;
let sleeps: number[];

beforeEach(() => {
  fake.reset();
  bench = new CacheBench();
  bench.write('app.txt', 'v1\n');
  workRoot = join(mkdtempSync(join(tmpdir(), 'ib-gha-')), 'work');
  sleeps = [];
});
afterEach(() => {
  bench.cleanup();
  rmSync(join(workRoot, '..'), { recursive: true, force: true });
});

/** One CI run on a fresh machine whose work root is the same path every time (as on hosted runners). */
function run(
  over: Partial<CacheOptions> = {},
  store: Record<string, unknown> = {},
  request: Partial<BuildRequest> = {},
): Promise<CacheRun> {
  const gha = new GhaCacheStore({
    ioRoot: join(workRoot, 'cache-io'),
    logger: silentLogger,
    sleep: async (ms) => void sleeps.push(ms),
    ...store,
  });
  return bench.ciRun(df, { backend: { kind: 'gha', store: gha }, scope, ...over }, request, workRoot);
}

const saves = () => fake.calls.filter((c) => c.fn === 'save');

describe('gha backend at the @actions/cache boundary', () => {
  it('saves a few packs and one index, with unique keys, prefix restore keys and identical paths', async () => {
    const first = await run();
    expect(built(first.result)).toHaveLength(4);
    // four layers, two entries: never one entry per layer
    expect(saves().map((c) => c.key)).toEqual([
      expect.stringMatching(/^image-build-pack-[0-9a-f]{32}$/),
      expect.stringMatching(new RegExp(`^image-build-index-${scopeId(scope)}-0001-1-[0-9a-z]+$`)),
    ]);
    const restore = fake.calls.find((c) => c.fn === 'restore')!;
    expect(restore).toEqual({
      fn: 'restore',
      key: indexPrefix(scopeId(scope)),
      restoreKeys: [indexPrefix(scopeId(scope)), indexPrefix(scopeId(scope, 'refs/heads/main'))],
      paths: [join(workRoot, 'cache-io', 'index')],
    });
    for (const c of fake.calls) {
      const kind = c.key.split('-')[2];
      expect(c.paths).toEqual([join(workRoot, 'cache-io', kind!)]);
      expect(c.key).not.toContain(',');
      expect(c.key.length).toBeLessThanOrEqual(512);
    }

    fake.calls.length = 0;
    const second = await run();
    expect(built(second.result)).toEqual([]);
    expect(fake.calls.map((c) => c.fn)).toEqual(['restore']); // the index; no pack, no save
  });

  it('an entry saved from other paths is another version: not restored (keep the work root fixed)', async () => {
    await run();
    const elsewhere = join(workRoot, '..', 'moved');
    const gha = new GhaCacheStore({ ioRoot: join(elsewhere, 'cache-io'), logger: silentLogger });
    const moved = await bench.ciRun(df, { backend: { kind: 'gha', store: gha }, scope }, {}, elsewhere);
    expect(moved.report.index).toEqual({ kind: 'none' });
    expect(built(moved.result)).toHaveLength(4);
  });

  it('cache mounts go through the same boundary, staged in one fixed directory', async () => {
    const mounted = df.replace(
      'RUN cp /app/app.txt /app/copy',
      'RUN --mount=type=cache,target=/var/cache/x sh -c "echo run >> /var/cache/x/log; wc -l < /var/cache/x/log > /app/count"',
    );
    const gha = () => new GhaCacheStore({ ioRoot: join(workRoot, 'cache-io'), logger: silentLogger });
    const first = await bench.ciRun(mounted, { backend: { kind: 'gha', store: gha() }, scope }, {}, workRoot);
    expect(first.report.saved.keys.map((k) => k.split('-')[2])).toEqual(['pack', 'mount', 'index']);
    bench.write('app.txt', 'v2\n');
    const second = await bench.ciRun(
      mounted,
      { backend: { kind: 'gha', store: gha() }, scope },
      {},
      workRoot,
    );
    const blob = second.t.host.store.blobPath(second.result.image.manifest.layers.at(-1)!.digest);
    expect(execFileSync('tar', ['-xzOf', blob, 'app/count'], { encoding: 'utf8' }).trim()).toBe('2');
    const mountCalls = fake.calls.filter((c) => c.key.startsWith('image-build-mount-'));
    expect(mountCalls.map((c) => c.fn)).toEqual(['save', 'restore', 'save']);
    for (const c of mountCalls) expect(c.paths).toEqual([join(workRoot, 'cache-io', 'mount')]);
  });

  it('restores the default branch index on a first pull request run', async () => {
    await run({ scope: { ...scope, ref: 'refs/heads/main' } });
    bench.write('app.txt', 'v2\n');
    const pr = await run();
    expect(pr.report.index).toMatchObject({ kind: 'restored', from: 'default-branch' });
    expect(built(pr.result)).toEqual(['COPY app.txt /app/', 'RUN cp /app/app.txt /app/copy']);
  });

  it('splits new layers into packs of at most packMaxBytes, and uploads only packs the cache lacks', async () => {
    // SOURCE_DATE_EPOCH: the RUN layers are byte-identical in both builds
    const epoch = { sourceDateEpoch: 1_700_000_000 };
    const first = await run({ packMaxBytes: 64 * 1024 }, {}, epoch);
    const packs = saves().filter((c) => c.key.startsWith('image-build-pack-'));
    expect(packs.length).toBeGreaterThan(1);
    expect(packs.length).toBeLessThan(first.result.image.manifest.layers.length);
    // the same layers for another Dockerfile path: the content-named packs exist, only its index is new
    fake.calls.length = 0;
    await run({ packMaxBytes: 64 * 1024, scope: { ...scope, dockerfile: 'other/Dockerfile' } }, {}, epoch);
    expect(saves().map((c) => c.key.split('-').slice(0, 3).join('-'))).toEqual(['image-build-index']);
    expect(fake.calls.filter((c) => c.fn === 'lookup').length).toBe(packs.length);
  });

  const warningCases: {
    name: string;
    hooks: () => SaveHook[];
    store?: Record<string, unknown>;
    want: {
      warning?: RegExp;
      readOnly?: boolean;
      savedKinds: string[];
      sleeps: number[];
      saveCalls?: number;
    };
  }[] = [
    {
      name: 'ReserveCacheError thrown, the entry still absent',
      hooks: () => [
        failures.throws(
          new ReserveCacheError('Unable to reserve cache, another job may be creating this cache.'),
        ),
      ],
      want: {
        warning: /was not saved, the rest of this save is skipped: Unable to reserve/,
        savedKinds: [],
        sleeps: [],
      },
    },
    {
      name: 'reservation race won by a job that saved the same pack',
      hooks: () => [failures.raced(fake, true)],
      want: { savedKinds: ['index'], sleeps: [] },
    },
    {
      name: 'read-only token: cache write denied',
      hooks: () => [failures.writeDenied()],
      want: {
        warning: /restore only from now on — the workflow's cache token is read-only/,
        readOnly: true,
        savedKinds: [],
        sleeps: [],
        saveCalls: 1,
      },
    },
    {
      name: 'CacheWriteDeniedError thrown',
      hooks: () => [failures.throws(new CacheWriteDeniedError('cache write denied: read-only'))],
      want: { warning: /restore only from now on/, readOnly: true, savedKinds: [], sleeps: [], saveCalls: 1 },
    },
    {
      name: "the runner's cache mode is read: no save is even tried",
      hooks: () => [],
      store: { cacheMode: 'read' },
      want: {
        warning: /restore only from now on — the runner's cache mode is 'read'/,
        readOnly: true,
        savedKinds: [],
        sleeps: [],
        saveCalls: 0,
      },
    },
    {
      name: '429 with Retry-After 3 s: waits once, then saves',
      hooks: () => [failures.rateLimited(3)],
      want: { savedKinds: ['pack', 'index'], sleeps: [3000] },
    },
    {
      name: '429 again after the wait: gives up for this run',
      hooks: () => [failures.rateLimited(3), failures.rateLimited(3)],
      want: {
        warning: /too many new cache entries right now \(retry after 3 s\)/,
        savedKinds: [],
        sleeps: [3000],
        saveCalls: 2,
      },
    },
    {
      name: '429 with a Retry-After beyond the wait budget: no wait',
      hooks: () => [failures.rateLimited(600)],
      want: {
        warning: /too many new cache entries right now \(retry after 600 s\)/,
        savedKinds: [],
        sleeps: [],
        saveCalls: 1,
      },
    },
    {
      name: 'ValidationError',
      hooks: () => [failures.throws(new ValidationError('Key Validation Error: bad key'))],
      want: {
        warning: /the GitHub cache refused the entry: Key Validation Error/,
        savedKinds: [],
        sleeps: [],
      },
    },
    {
      name: 'network failure',
      hooks: () => [failures.network()],
      want: { warning: /Unable to make request: ECONNRESET/, savedKinds: [], sleeps: [], saveCalls: 1 },
    },
  ];

  it.each(warningCases)('$name is a warning, never a failed build', async ({ hooks, store, want }) => {
    fake.saveHooks.push(...hooks());
    const r = await run({}, store ?? {});
    expect(built(r.result)).toHaveLength(4);
    const kinds = r.report.saved.keys.map((k) => k.split('-')[2]);
    expect(kinds).toEqual(want.savedKinds);
    expect(sleeps).toEqual(want.sleeps);
    if (want.warning) expect(r.report.warnings.join('\n')).toMatch(want.warning);
    else expect(r.report.warnings).toEqual([]);
    expect(r.report.access.kind).toBe(want.readOnly ? 'read-only' : 'read-write');
    if (want.saveCalls !== undefined) expect(saves()).toHaveLength(want.saveCalls);
  });

  it('a restore that fails (service down) is a warning and a cold build', async () => {
    fake.restoreError = new Error('Unable to make request: ENOTFOUND');
    const r = await run();
    expect(built(r.result)).toHaveLength(4);
    expect(r.report.warnings.join('\n')).toMatch(
      /cache index was not restored, building without the cache: .*ENOTFOUND/,
    );
  });

  it('a pack corrupted in the service is detected by digest and its step rebuilt', async () => {
    const first = await run();
    const packKey = first.report.saved.keys.find((k) => k.startsWith('image-build-pack-'))!;
    const rootfs = first.result.image.manifest.layers[0]!.digest.slice(7);
    const blob = fake.entries.get(packKey)!.files.get(rootfs)!;
    blob[100] = blob[100]! ^ 0xff;
    bench.write('app.txt', 'v2\n');
    const second = await run();
    expect(second.report.warnings.join('\n')).toMatch(/unusable \(layer sha256:.*does not match its digest/);
    expect(built(second.result)).toEqual([
      'COPY rootfs/ /',
      'COPY app.txt /app/',
      'RUN cp /app/app.txt /app/copy',
    ]);
  });

  it('says whether the cache service is available', () => {
    expect(GhaCacheStore.available()).toBe(true);
    fake.available = false;
    expect(GhaCacheStore.available()).toBe(false);
  });
});
