import { readdir, mkdtemp, rm, writeFile, link, mkdir } from 'node:fs/promises';
import { tmpdir, hostname } from 'node:os';
import { join } from 'node:path';
import { sha256 } from '../../src/oci/digest.js';
import { MediaType } from '../../src/oci/media-types.js';
import { openStore } from '../../src/store/open-store.js';
import type { BlobInfo } from '../../src/store/types.js';
import { blobBytes } from './workers/blob-data.js';
import { firstLine, killHard, runStoreWorker, startStoreWorker } from './workers/worker-process.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'store-conc-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('worker processes putting the same and different blobs at once all succeed with verified content', async () => {
  const workers = 6;
  const size = 300_000;
  const jobs = Array.from({ length: workers }, (_, w) => ({
    kind: 'put',
    store: dir,
    size,
    // every worker writes the 3 shared blobs and 3 of its own, all at the same time
    seeds: ['shared-0', 'shared-1', 'shared-2', `own-${w}-0`, `own-${w}-1`, `own-${w}-2`],
  }));
  const results = await Promise.all(jobs.map((job) => runStoreWorker<BlobInfo[]>(job)));

  const store = await openStore(dir);
  const seeds = new Set(jobs.flatMap((j) => j.seeds));
  for (const seed of seeds) {
    const bytes = blobBytes(seed, size);
    expect(await store.read(sha256(bytes))).toEqual(bytes);
  }
  expect(results.flat().length).toBe(workers * 6);
  expect((await readdir(join(dir, 'blobs', 'sha256'))).length).toBe(seeds.size);
  expect(await readdir(join(dir, '.ingest'))).toEqual([]);
});

test('in-process concurrent puts of the same blob', async () => {
  const store = await openStore(dir);
  const bytes = blobBytes('same', 1_000_000);
  const infos = await Promise.all(Array.from({ length: 20 }, () => store.put(bytes)));
  expect(new Set(infos.map((i) => i.digest)).size).toBe(1);
  expect(await store.read(infos[0]!.digest)).toEqual(bytes);
  expect(await readdir(join(dir, '.ingest'))).toEqual([]);
});

test('index.json updates from several processes are serialised: no tag is lost', async () => {
  await openStore(dir);
  const workers = 5;
  const perWorker = 8;
  await Promise.all(
    Array.from({ length: workers }, (_, w) =>
      runStoreWorker({
        kind: 'tag',
        store: dir,
        seed: `manifest-${w}`,
        names: Array.from({ length: perWorker }, (_, i) => `w${w}:t${i}`),
      }),
    ),
  );
  const store = await openStore(dir);
  const refs = await store.listRefs();
  expect(refs.length).toBe(workers * perWorker);
  for (let w = 0; w < workers; w++) {
    expect((await store.resolve(`w${w}:t0`))?.digest).toBe(sha256(blobBytes(`manifest-${w}`, 64)));
  }
  expect(await readdir(dir)).not.toContain('index.json.lock');
});

test('a writer killed mid-blob leaves no visible blob; gc removes its temp file', async () => {
  await openStore(dir);
  const size = 2_000_000;
  const bytes = blobBytes('killed', size);
  const child = startStoreWorker({ kind: 'hang-put', store: dir, seed: 'killed', size });
  try {
    expect(JSON.parse(await firstLine(child))).toEqual({ started: true });
  } finally {
    await killHard(child);
  }
  const store = await openStore(dir);
  expect(await store.has(sha256(bytes))).toBe(false);
  expect(await readdir(join(dir, 'blobs', 'sha256'))).toEqual([]);
  const temps = await readdir(join(dir, '.ingest'));
  expect(temps.length).toBe(1);
  expect(temps[0]).toMatch(new RegExp(`^tmp_.*_${child.pid}_[0-9a-f]+\\.blob$`));

  expect(await store.gc([], { graceMs: 0 })).toEqual({ removed: 0, bytes: 0, tempFiles: 1 });
  expect(await readdir(join(dir, '.ingest'))).toEqual([]);
  // the blob can still be written afterwards
  await store.put(bytes);
  expect(await store.has(sha256(bytes))).toBe(true);
});

test('a lock left by a dead process is broken; a live one times out with a clear message', async () => {
  const store = await openStore(dir, { lockTimeoutMs: 300 });
  const manifest = { mediaType: MediaType.ociManifest, ...(await store.put('m')) };
  const lock = join(dir, 'index.json.lock');
  const tmp = join(dir, '.ingest', 'lock-src');
  await mkdir(join(dir, '.ingest'), { recursive: true });

  await writeFile(tmp, `${hostname()}\n999999999\ndeadbeef\n`);
  await link(tmp, lock);
  await store.tag('after-dead', manifest);
  expect(await store.resolve('after-dead')).toBeDefined();

  await rm(tmp);
  await writeFile(tmp, `${hostname()}\n${process.pid}\ncafe\n`);
  await link(tmp, lock);
  await expect(store.tag('while-held', manifest)).rejects.toThrow(
    new RegExp(`the image store is locked by process ${process.pid} on `),
  );
  await rm(lock);
  await store.tag('while-held', manifest);
  expect((await store.listRefs()).map((r) => r.name)).toEqual(['after-dead', 'while-held']);
});

test('a lock older than lockStaleMs is broken even when its holder looks alive', async () => {
  const store = await openStore(dir, {
    lockStaleMs: 1000,
    clock: { now: () => new Date(Date.now() + 5000) },
  });
  const manifest = { mediaType: MediaType.ociManifest, ...(await store.put('m')) };
  await writeFile(join(dir, 'index.json.lock'), `another-host\n1\nabc\n`);
  await store.tag('x', manifest);
  expect(await store.resolve('x')).toBeDefined();
});
