/**
 * Cache faults: the GitHub cache service unreachable, read-only or rate-limited (at the @actions/cache boundary,
 * which cannot be reached from here: the fake logs through the real @actions/core exactly as @actions/cache 6.3
 * does), a pack truncated or with the wrong content, an index pointing at a pack that is gone, a full disk while
 * saving (a real tmpfs) — on real builds, each on a fresh machine after a clean run warmed the cache.
 *
 * Every case: the build succeeds, rebuilding what it must; the image is the one a build without any cache makes
 * (nothing corrupt is reused); the Actions log shows exactly one warning annotation and no error annotation; the
 * run after it works. The last test does the same through the bundled CLI with --cache-dir.
 */
import * as core from '@actions/core';
import { jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActionLogger } from '../../src/action/logger.js';
import { buildReadyToShip } from '../../src/build/ship-ready.js';
import type { BuildResult } from '../../src/build/types.js';
import type { CacheOptions } from '../../src/cache/index.js';
import { validateImage } from '../../src/oci/validate.js';
import { CacheBench } from '../cache/cache-helpers.js';
import { FakeGitHubCache, failures, type SaveHook } from '../cache/fake-github-cache.js';
import { makeContext, runBundle, tempDir } from '../cli/cli-harness.js';
import { buildRequest } from '../helpers/build-request.js';

jest.setTimeout(300_000);

/** @actions/cache 6.3's restoreCache on a failed request: a warning (an error for 5xx), then a miss. */
interface RestoreFault {
  readonly message: string;
  readonly serverError: boolean;
}
const fake = new FakeGitHubCache();
let restoreFault: RestoreFault | undefined;
jest.unstable_mockModule('@actions/cache', () => ({
  ...fake.module,
  restoreCache: async (
    paths: string[],
    key: string,
    restoreKeys: string[] = [],
    options?: { lookupOnly?: boolean },
  ) => {
    if (restoreFault) {
      fake.calls.push({ fn: options?.lookupOnly ? 'lookup' : 'restore', paths, key, restoreKeys });
      (restoreFault.serverError ? core.error : core.warning)(`Failed to restore: ${restoreFault.message}`);
      return undefined;
    }
    return fake.module.restoreCache(paths, key, restoreKeys, options);
  },
}));
const { GhaCacheStore } = await import('../../src/action/gha-cache-store.js');

const dockerfile = [
  'FROM scratch',
  'COPY rootfs/ /',
  'RUN echo one > /one',
  'COPY app.txt /app/',
  'RUN cat /app/app.txt > /app/out',
  '',
].join('\n');
const epoch = 1_700_000_000;

let bench: CacheBench;
let reference: string;
const mounts: string[] = [];

beforeAll(async () => {
  bench = new CacheBench();
  bench.write('app.txt', 'v1\n');
  reference = (await cachedRun('none')).result.image.descriptor.digest;
});
afterAll(() => {
  for (const m of mounts) {
    execFileSync('umount', ['-l', m]);
    rmSync(m.endsWith('/cache') ? join(m, '..') : m, { recursive: true, force: true });
  }
  bench?.cleanup();
});

type BackendKind = 'gha' | 'local' | 'none';

interface Machine {
  readonly workRoot: string;
  readonly cacheDir: string;
}

interface FaultRun {
  readonly result: BuildResult;
  /** `::warning::` / `::error::` lines the run wrote (the Actions log's annotations). */
  readonly warnings: readonly string[];
  readonly errors: readonly string[];
  readonly saved: number;
}

/**
 * One CI run as the action does it, on a fresh machine: open the cache, build until the image is ready to
 * export (every cached layer fetched, undeliverable ones rebuilt), save; logging through @actions/core.
 */
async function cachedRun(kind: BackendKind, m?: Machine, beforeSave?: () => void): Promise<FaultRun> {
  const captured: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array): boolean => {
    captured.push(...String(chunk).split('\n'));
    return true;
  }) as typeof process.stdout.write;
  try {
    const t = await bench.machine(m?.workRoot);
    const logger = new ActionLogger();
    const backend: CacheOptions['backend'] | undefined =
      kind === 'gha'
        ? {
            kind: 'gha',
            store: new GhaCacheStore({
              ioRoot: join(t.host.workRoot, 'cache-io'),
              logger,
              sleep: async () => undefined,
            }),
          }
        : kind === 'local'
          ? { kind: 'local', dir: m!.cacheDir }
          : undefined;
    const cache = backend ? await bench.open(t, { backend, logger }) : undefined;
    const host = { ...t.host, logger, ...(cache ? { cache } : {}) };
    const result = await buildReadyToShip(
      await buildRequest(bench.ctx, dockerfile, { sourceDateEpoch: epoch }),
      host,
      { export: true, pushTo: [] },
    );
    cache?.noteBuild(result);
    beforeSave?.();
    const report = await cache?.save();
    expect(await validateImage(t.host.store, result.image.descriptor)).toEqual([]);
    return {
      result,
      warnings: captured.filter((l) => l.startsWith('::warning')),
      errors: captured.filter((l) => l.startsWith('::error')),
      saved: report?.saved.entries ?? 0,
    };
  } finally {
    process.stdout.write = write;
  }
}

const built = (r: FaultRun): string[] =>
  r.result.steps.filter((s) => s.status === 'built').map((s) => s.instruction);

/** A small tmpfs (real ENOSPC), unmounted after the suite. */
function tinyDisk(dir: string, size: string): void {
  mkdirSync(dir, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]);
  mounts.push(dir);
}

function fillDisk(dir: string): void {
  try {
    execFileSync('dd', ['if=/dev/zero', `of=${join(dir, 'filler')}`, 'bs=4k'], { stdio: 'ignore' });
  } catch {
    // dd stops with ENOSPC: the disk is full
  }
}

function onlyPack(cacheDir: string): string {
  const packs = readdirSync(join(cacheDir, 'entries')).filter((e) => e.startsWith('image-build-pack-'));
  expect(packs).toHaveLength(1);
  return join(cacheDir, 'entries', packs[0]!);
}

function largestMember(pack: string): string {
  const members = readdirSync(pack).filter((f) => /^[0-9a-f]{64}$/.test(f));
  return join(pack, members.sort((a, b) => statSync(join(pack, b)).size - statSync(join(pack, a)).size)[0]!);
}

interface FaultCase {
  readonly name: string;
  readonly backend: 'gha' | 'local';
  /** Runs after the warm-up run, before the faulted one. */
  readonly inject: (m: Machine) => void;
  /** Runs in the faulted run after the build, before the save. */
  readonly beforeSave?: (m: Machine) => void;
  /** Undoes the fault before the run after. */
  readonly heal?: (m: Machine) => void;
  readonly want: { readonly warning: RegExp; readonly rebuilt: readonly string[] };
}

const network = 'Unable to make request: ECONNRESET';
/** New content whose layer does not shrink under gzip (to overflow a nearly full disk). */
const incompressible = (): Buffer => randomBytes(1 << 20);

const cases: FaultCase[] = [
  {
    name: 'GitHub cache service unreachable (restore fails)',
    backend: 'gha',
    inject: () => void (restoreFault = { message: network, serverError: false }),
    heal: () => void (restoreFault = undefined),
    want: {
      warning:
        /^::warning::cache index was not restored, building without the cache: GitHub cache restore of image-build-index-\w+- failed: Unable to make request: ECONNRESET$/,
      rebuilt: [
        'COPY rootfs/ /',
        'RUN echo one > /one',
        'COPY app.txt /app/',
        'RUN cat /app/app.txt > /app/out',
      ],
    },
  },
  {
    name: 'GitHub cache service failing with 503 (restore)',
    backend: 'gha',
    inject: () => void (restoreFault = { message: 'Cache service responded with 503', serverError: true }),
    heal: () => void (restoreFault = undefined),
    want: {
      warning:
        /^::warning::cache index was not restored, building without the cache: GitHub cache restore of image-build-index-\w+- failed: Cache service responded with 503$/,
      rebuilt: [
        'COPY rootfs/ /',
        'RUN echo one > /one',
        'COPY app.txt /app/',
        'RUN cat /app/app.txt > /app/out',
      ],
    },
  },
  {
    name: 'GitHub cache service unreachable while saving',
    backend: 'gha',
    inject: () => {
      bench.write('app.txt', 'unreachable-save\n');
      fake.saveHooks.push(...Array<SaveHook>(5).fill(failures.network()));
    },
    heal: () => void (fake.saveHooks.length = 0),
    want: {
      warning:
        /^::warning::cache entry image-build-pack-\w+ was not saved, the rest of this save is skipped: .*ECONNRESET/,
      rebuilt: ['COPY app.txt /app/', 'RUN cat /app/app.txt > /app/out'],
    },
  },
  {
    name: 'read-only cache token',
    backend: 'gha',
    inject: () => {
      bench.write('app.txt', 'read-only\n');
      fake.saveHooks.push(...Array<SaveHook>(5).fill(failures.writeDenied()));
    },
    heal: () => void (fake.saveHooks.length = 0),
    want: {
      warning: /^::warning::cache: restore only from now on — /,
      rebuilt: ['COPY app.txt /app/', 'RUN cat /app/app.txt > /app/out'],
    },
  },
  {
    name: 'rate-limited twice (429 with Retry-After)',
    backend: 'gha',
    inject: () => {
      bench.write('app.txt', 'rate-limited\n');
      fake.saveHooks.push(...Array<SaveHook>(5).fill(failures.rateLimited(2)));
    },
    heal: () => void (fake.saveHooks.length = 0),
    want: {
      warning:
        /^::warning::cache: too many new cache entries right now \(retry after 2 s\); the rest of this save is skipped and the next run saves it$/,
      rebuilt: ['COPY app.txt /app/', 'RUN cat /app/app.txt > /app/out'],
    },
  },
  {
    name: 'a pack truncated',
    backend: 'local',
    inject: (m) => {
      const member = largestMember(onlyPack(m.cacheDir));
      truncateSync(member, statSync(member).size >> 1);
    },
    want: {
      warning:
        /^::warning::cache entry image-build-pack-\w+ is unusable \(layer sha256:\w+: blob sha256:\w+ has the wrong size/,
      // only the damaged layer's step: the other layers of the pack are intact and verified one by one
      rebuilt: ['COPY rootfs/ /'],
    },
  },
  {
    name: 'a pack truncated, and a changed file makes a RUN need the damaged layer',
    backend: 'local',
    inject: (m) => {
      const member = largestMember(onlyPack(m.cacheDir));
      truncateSync(member, statSync(member).size >> 1);
      bench.write('app.txt', 'changed after the damage\n');
    },
    want: {
      warning:
        /^::warning::cache entry image-build-pack-\w+ is unusable \(layer sha256:\w+: blob sha256:\w+ has the wrong size/,
      rebuilt: ['COPY rootfs/ /', 'COPY app.txt /app/', 'RUN cat /app/app.txt > /app/out'],
    },
  },
  {
    name: 'a pack with the wrong content (same size, wrong digest)',
    backend: 'local',
    inject: (m) => {
      const member = largestMember(onlyPack(m.cacheDir));
      const bytes = readFileSync(member);
      bytes[bytes.length >> 1] = bytes[bytes.length >> 1]! ^ 0x55;
      writeFileSync(member, bytes);
    },
    want: {
      warning:
        /^::warning::cache entry image-build-pack-\w+ is unusable \(layer sha256:\w+: blob content does not match its digest/,
      // only the damaged layer's step: the other layers of the pack are intact and verified one by one
      rebuilt: ['COPY rootfs/ /'],
    },
  },
  {
    name: 'the index points at a pack that is gone',
    backend: 'local',
    inject: (m) => rmSync(onlyPack(m.cacheDir), { recursive: true, force: true }),
    want: {
      warning: /^::warning::cache entry image-build-pack-\w+ is unusable \(it is missing/,
      rebuilt: [
        'COPY rootfs/ /',
        'RUN echo one > /one',
        'COPY app.txt /app/',
        'RUN cat /app/app.txt > /app/out',
      ],
    },
  },
  {
    name: 'the disk fills up while saving (local cache directory)',
    backend: 'local',
    inject: (m) => {
      bench.write('app.txt', incompressible());
      fillDisk(m.cacheDir);
    },
    heal: (m) => rmSync(join(m.cacheDir, 'filler')),
    want: {
      warning: /^::warning::.*(ENOSPC|no space left on device)/i,
      rebuilt: ['COPY app.txt /app/', 'RUN cat /app/app.txt > /app/out'],
    },
  },
  {
    name: 'the disk fills up while staging a save (GitHub cache)',
    backend: 'gha',
    inject: () => bench.write('app.txt', incompressible()),
    beforeSave: (m) => fillDisk(m.workRoot),
    want: {
      warning: /^::warning::.*(ENOSPC|no space left on device)/i,
      rebuilt: ['COPY app.txt /app/', 'RUN cat /app/app.txt > /app/out'],
    },
  },
];

describe('cache faults: the build succeeds, one warning, nothing corrupt reused', () => {
  beforeEach(() => {
    fake.reset();
    restoreFault = undefined;
    bench.write('app.txt', 'v1\n');
  });

  test.each(cases)('$name', async ({ name, backend, inject, beforeSave, heal, want }) => {
    const root = mkdtempSync(join(tmpdir(), 'ib-rel-cache-'));
    const m: Machine = { workRoot: join(root, 'work'), cacheDir: join(root, 'cache') };
    // a full disk is a real one: a small tmpfs holding the cache directory, or (gha) the whole work root
    if (/disk fills up/.test(name)) tinyDisk(backend === 'local' ? m.cacheDir : root, '64m');
    try {
      const warm = await cachedRun(backend, m);
      expect({ warnings: warm.warnings, errors: warm.errors }).toEqual({ warnings: [], errors: [] });
      inject(m);
      const expected = (await cachedRun('none')).result.image.descriptor.digest;
      const faulted = await cachedRun(backend, m, beforeSave && (() => beforeSave(m)));
      expect(faulted.errors).toEqual([]);
      expect(faulted.warnings).toEqual([expect.stringMatching(want.warning)]);
      expect(built(faulted)).toEqual(want.rebuilt);
      expect(faulted.result.image.descriptor.digest).toBe(expected);
      heal?.(m);
      const after = await cachedRun(backend, m);
      expect({ warnings: after.warnings, errors: after.errors }).toEqual({ warnings: [], errors: [] });
      expect(after.result.image.descriptor.digest).toBe(expected);
    } finally {
      if (!mounts.some((d) => d === root || d.startsWith(`${root}/`)))
        rmSync(root, { recursive: true, force: true });
    }
  });

  it('the reference image is reproducible without a cache', async () => {
    bench.write('app.txt', 'v1\n');
    expect((await cachedRun('none')).result.image.descriptor.digest).toBe(reference);
  });
});

describe('through the bundled CLI (--cache-dir)', () => {
  const tmp = tempDir('ib-rel-cache-cli-');
  afterAll(() => tmp.cleanup());

  it('a truncated pack: one warning line, the step rebuilt, the same image as a cold build', async () => {
    const ctx = makeContext(join(tmp.dir, 'ctx'), { Dockerfile: dockerfile, 'app.txt': 'cli\n' });
    const cacheDir = join(tmp.dir, 'cache');
    const cli = (work: string, cache = true): ReturnType<typeof runBundle> =>
      runBundle(
        [
          'build',
          ctx,
          '--work-dir',
          join(tmp.dir, work),
          '--progress',
          'plain',
          '-o',
          `oci:${join(tmp.dir, `${work}-oci`)}`,
          ...(cache ? ['--cache-dir', cacheDir] : []),
        ],
        {
          env: { SOURCE_DATE_EPOCH: String(epoch) },
        },
      );
    const cold = await cli('cold', false);
    expect(cold.code).toBe(0);
    expect((await cli('warm')).code).toBe(0);
    const member = largestMember(onlyPack(cacheDir));
    truncateSync(member, statSync(member).size >> 1);
    const r = await cli('faulted');
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 0, stdout: cold.stdout });
    const warnings = r.stderr.split('\n').filter((l) => /warning/i.test(l));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^warning: cache entry image-build-pack-\w+ is unusable \(layer sha256:\w+: blob sha256:\w+ has the wrong size/,
    );
  });
});
