import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readIndexFile } from '../../src/cache/cache-index.js';
import { LocalCacheStore } from '../../src/cache/index.js';
import { validateImage } from '../../src/oci/validate.js';
import { CacheBench, built } from './cache-helpers.js';

const df = [
  'FROM scratch',
  'COPY rootfs/ /',
  'RUN echo one > /one',
  'COPY app.txt /app/',
  'RUN cat /app/app.txt > /app/out && head -c 20000 /dev/urandom > /app/noise',
].join('\n');

let bench: CacheBench;
let dir: string;
const backend = () => ({ kind: 'local' as const, dir });

beforeEach(() => {
  bench = new CacheBench();
  bench.write('app.txt', 'v1\n');
  dir = mkdtempSync(join(tmpdir(), 'ib-cache-dir-'));
});
afterEach(() => {
  bench.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

function entries(): string[] {
  return readdirSync(join(dir, 'entries')).sort();
}

describe('local backend, end to end with real builds on fresh machines', () => {
  it('a second run on the same commit runs no RUN step, downloads no layer and saves nothing', async () => {
    const first = await bench.ciRun(df, { backend: backend() });
    expect(built(first.result)).toHaveLength(4);
    expect(first.report.saved.keys.map((k) => k.replace(/-[0-9a-f]{16,32}.*$/, ''))).toEqual([
      'image-build-pack',
      'image-build-index',
    ]);
    const before = entries();
    const second = await bench.ciRun(df, { backend: backend() });
    expect(built(second.result)).toEqual([]);
    expect(second.result.steps.filter((s) => s.layer).every((s) => s.layer!.cacheSource === 'cache')).toBe(
      true,
    );
    expect(second.report.index).toEqual({
      kind: 'restored',
      key: expect.stringMatching(/^image-build-index-/),
      from: 'scope',
    });
    expect(second.report.lookups).toEqual({ hits: 4, misses: 0 });
    expect(second.report.restored.entries).toBe(1); // the index only: lazy restore fetched no pack
    expect(second.report.saved).toEqual({ entries: 0, bytes: 0, keys: [] });
    expect(entries()).toEqual(before);
    expect(second.result.image.manifest.layers).toEqual(first.result.image.manifest.layers);
  });

  it('one changed source file: only the steps from its COPY on run, and only their layers are packed', async () => {
    const first = await bench.ciRun(df, { backend: backend() });
    bench.write('app.txt', 'v2\n');
    const second = await bench.ciRun(df, { backend: backend() });
    expect(built(second.result)).toEqual([
      'COPY app.txt /app/',
      'RUN cat /app/app.txt > /app/out && head -c 20000 /dev/urandom > /app/noise',
    ]);
    const newPack = second.report.saved.keys.filter((k) => k.startsWith('image-build-pack-'));
    expect(newPack).toHaveLength(1);
    const members = (await new LocalCacheStore(dir, bench.clock).restore('pack', newPack[0]!))!;
    const packed = readdirSync(members.dir).filter((f) => /^[0-9a-f]{64}$/.test(f));
    const changed = second.result.steps
      .filter((s) => s.status === 'built')
      .map((s) => s.layer!.digest.slice(7));
    expect(packed.sort()).toEqual(changed.sort());
    // the unchanged layers came from the first run's pack, which had to be fetched for the COPY to write over
    expect(second.report.restored.entries).toBe(2);
    expect(first.result.image.manifest.layers.slice(0, 2)).toEqual(
      second.result.image.manifest.layers.slice(0, 2),
    );
    // the miss is explained by the file checksum
    const copy = second.result.steps.find((s) => s.instruction === 'COPY app.txt /app/')!;
    expect(copy.reason).toMatchObject({ kind: 'inputs-changed', changes: [{ input: 'files' }] });
  });
});

describe('local backend: damaged entries', () => {
  const damages = [
    {
      name: 'a corrupted blob in the pack',
      damage: (file: string) => {
        const b = readFileSync(file);
        b[b.length >> 1] = b[b.length >> 1]! ^ 0xff;
        writeFileSync(file, b);
      },
      want: /unusable \(layer sha256:[0-9a-f]{64}: blob content does not match its digest/,
      rebuilt: ['COPY rootfs/ /'],
    },
    {
      name: 'a truncated blob in the pack',
      damage: (file: string) => truncateSync(file, statSync(file).size >> 1),
      want: /unusable \(layer sha256:[0-9a-f]{64}: blob sha256:[0-9a-f]{64} has the wrong size/,
      rebuilt: ['COPY rootfs/ /'],
    },
    {
      name: 'a pack evicted from the cache',
      damage: (file: string) => rmSync(dirname(file), { recursive: true, force: true }),
      want: /unusable \(it is missing \(evicted or never saved\)\)/,
      // the whole pack is gone, so the RUN layer above the rootfs is rebuilt too
      rebuilt: ['COPY rootfs/ /', 'RUN echo one > /one'],
    },
  ];
  it.each(damages)(
    '$name is detected by digest, discarded, the step rebuilt, with a warning',
    async ({ damage, want, rebuilt }) => {
      const first = await bench.ciRun(df, { backend: backend() });
      const pack = first.report.saved.keys.find((k) => k.startsWith('image-build-pack-'))!;
      const rootfsLayer = first.result.image.manifest.layers[0]!.digest;
      damage(join(dir, 'entries', pack, rootfsLayer.slice(7)));
      bench.write('app.txt', 'v2\n');
      const second = await bench.ciRun(df, { backend: backend() });
      expect(second.t.logger.text('warn')).toMatch(want);
      expect(second.report.warnings.join('\n')).toMatch(want);
      expect(built(second.result)).toEqual([
        ...rebuilt,
        'COPY app.txt /app/',
        'RUN cat /app/app.txt > /app/out && head -c 20000 /dev/urandom > /app/noise',
      ]);
      expect(await validateImage(second.t.host.store, second.result.image.descriptor)).toEqual([]);
      // the save no longer references the bad pack: every layer of this build is in a new pack
      const third = await bench.ciRun(df, { backend: backend() });
      expect(built(third.result)).toEqual([]);
      const saved = second.report.saved.keys.filter((k) => k.startsWith('image-build-pack-'));
      expect(saved).toHaveLength(1);
      expect(saved[0]).not.toBe(pack);
      const key = third.report.index.kind === 'restored' ? third.report.index.key : '';
      const index = await readIndexFile(join(dir, 'entries', key), key);
      expect(Object.keys(index.packs)).toEqual(saved);
    },
  );
});

describe('local backend: budget', () => {
  it('keeps the cache under its budget over many builds with changing sources, dropping the least recently used packs', async () => {
    const first = await bench.ciRun(df, { backend: backend() });
    const budgetBytes = first.report.sizeBytes + 100_000;
    const store = new LocalCacheStore(dir, bench.clock);
    let pruned = 0;
    for (let i = 2; i <= 12; i++) {
      bench.write('app.txt', `v${i}\n`);
      const r = await bench.ciRun(df, { backend: backend(), budgetBytes });
      expect(built(r.result)).toHaveLength(2);
      expect(r.report.sizeBytes).toBeLessThanOrEqual(budgetBytes);
      expect(await store.sizeOnDisk()).toBeLessThanOrEqual(budgetBytes + 64 * 1024);
      pruned += r.report.pruned.entries;
    }
    expect(pruned).toBeGreaterThan(0);
    // the most recent build is fully cached; the oldest change is gone (its pack was dropped)
    const again = await bench.ciRun(df, { backend: backend(), budgetBytes });
    expect(built(again.result)).toEqual([]);
    bench.write('app.txt', 'v2\n');
    const old = await bench.ciRun(df, { backend: backend(), budgetBytes });
    expect(built(old.result)).toHaveLength(2);
    expect(old.result.steps.find((s) => s.instruction === 'COPY app.txt /app/')!.reason?.kind).toBe(
      'inputs-changed',
    );
  });

  it('warns, and saves nothing of them, when the new layers alone do not fit the budget', async () => {
    const r = await bench.ciRun(df, { backend: backend(), budgetBytes: 1024 ** 2 / 4 });
    expect(r.report.warnings.join('\n')).toMatch(
      /bytes of this build's new layers do not fit in the cache budget of 262144 bytes/,
    );
    expect(r.report.saved.keys.filter((k) => k.startsWith('image-build-pack-'))).toEqual([]);
    expect(r.report.sizeBytes).toBeLessThanOrEqual(1024 ** 2 / 4);
  });
});
