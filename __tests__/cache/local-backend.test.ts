import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalCacheStore } from '../../src/cache/index.js';
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
