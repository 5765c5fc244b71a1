import { createWriteStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { sha256, type Digest } from '../../src/oci/digest.js';
import { BlobMismatchError, BlobNotFoundError } from '../../src/store/blob-errors.js';
import { openStore } from '../../src/store/open-store.js';
import type { ExpectedBlob, ImageStore } from '../../src/store/types.js';
import { blobBytes, chunked } from './workers/blob-data.js';

let dir: string;
let store: ImageStore;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'store-blob-'));
  store = await openStore(dir);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const data = blobBytes('blob', 100_000);
const good: ExpectedBlob = { digest: sha256(data), size: data.length };
const otherDigest = sha256('something else');

async function visibleFiles(): Promise<string[]> {
  return [...(await readdir(join(dir, 'blobs', 'sha256'))), ...(await readdir(join(dir, '.ingest')))];
}

describe('writes', () => {
  const writers = [
    { name: 'put', write: (s: ImageStore, e?: ExpectedBlob) => s.put(data, e) },
    { name: 'putStream', write: (s: ImageStore, e?: ExpectedBlob) => s.putStream(chunked(data, 4096), e) },
    {
      name: 'ingest',
      write: async (s: ImageStore, e?: ExpectedBlob) => {
        const ingest = await s.ingest();
        await writeFile(ingest.path, data);
        return ingest.commit(e);
      },
    },
  ];

  const cases: { name: string; given: ExpectedBlob | undefined; want: 'stored' | 'mismatch' }[] = [
    { name: 'no expectation stores the content under its digest', given: undefined, want: 'stored' },
    { name: 'matching digest and size', given: good, want: 'stored' },
    { name: 'matching digest, size not given', given: { digest: good.digest }, want: 'stored' },
    {
      name: 'corrupt expected digest stores nothing',
      given: { digest: otherDigest, size: data.length },
      want: 'mismatch',
    },
    {
      name: 'short expected size stores nothing',
      given: { digest: good.digest, size: data.length - 1 },
      want: 'mismatch',
    },
    {
      name: 'long expected size stores nothing',
      given: { digest: good.digest, size: data.length + 1 },
      want: 'mismatch',
    },
  ];

  for (const w of writers) {
    describe(w.name, () => {
      test.each(cases)('$name', async ({ given, want }) => {
        if (want === 'stored') {
          await expect(w.write(store, given)).resolves.toEqual(good);
          expect(await store.read(good.digest)).toEqual(data);
          expect(await store.stat(good.digest)).toEqual(good);
          expect(await visibleFiles()).toEqual([good.digest.slice(7)]);
        } else {
          await expect(w.write(store, given)).rejects.toBeInstanceOf(BlobMismatchError);
          expect(await store.has(good.digest)).toBe(false);
          expect(await store.has(given!.digest)).toBe(false);
          expect(await visibleFiles()).toEqual([]);
        }
      });
    });
  }
});

test('putStream stops reading a body that runs past the expected size', async () => {
  let yielded = 0;
  async function* endless(): AsyncGenerator<Buffer> {
    for (;;) {
      yielded++;
      yield Buffer.alloc(1024, 1);
    }
  }
  const err = await store
    .putStream(endless(), { digest: otherDigest, size: 10_000 })
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(BlobMismatchError);
  expect((err as Error).message).toMatch(/expected 10000 bytes, got 10240 or more/);
  expect(yielded).toBe(10);
  expect(await visibleFiles()).toEqual([]);
});

test('putStream of a blob already stored does not read the source and releases it', async () => {
  await store.put(data);
  let started = false;
  let released = false;
  async function* source(): AsyncGenerator<Buffer> {
    try {
      started = true;
      yield data;
    } finally {
      released = true;
    }
  }
  const it = source();
  await expect(store.putStream(it, good)).resolves.toEqual(good);
  expect(started).toBe(false);
  expect((await it.next()).done).toBe(true);
  expect(released).toBe(false); // never started, so nothing to clean up, and it is closed now
});

test('putStream of a stored blob with a wrong expected size fails', async () => {
  await store.put(data);
  await expect(store.putStream(chunked(data, 10), { digest: good.digest, size: 5 })).rejects.toBeInstanceOf(
    BlobMismatchError,
  );
});

test('re-putting a stored blob refreshes its mtime (protects it from a concurrent gc)', async () => {
  await store.put(data);
  const path = store.blobPath(good.digest);
  const { utimes } = await import('node:fs/promises');
  await utimes(path, new Date(1_000_000), new Date(1_000_000));
  await store.put(data);
  expect((await stat(path)).mtimeMs).toBeGreaterThan(1_000_000_000);
});

test('an aborted ingest leaves nothing behind; a second commit is refused', async () => {
  const a = await store.ingest();
  await writeFile(a.path, data);
  await a.abort();
  expect(await visibleFiles()).toEqual([]);

  const b = await store.ingest();
  await pipeline(chunked(data, 1000), createWriteStream(b.path));
  await b.commit(good);
  await expect(b.commit(good)).rejects.toThrow(/already committed/);
});

describe('reads', () => {
  const missing: Digest = sha256('missing');
  test('read of a missing blob is a BlobNotFoundError naming the digest and store', async () => {
    const err = await store.read(missing).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BlobNotFoundError);
    expect((err as BlobNotFoundError).userMessage()).toContain(
      `blob ${missing} is not in the image store ${dir}`,
    );
  });
  test('open of a missing blob errors on the stream', async () => {
    const chunks: Buffer[] = [];
    const err = await (async () => {
      for await (const c of store.open(missing)) chunks.push(c as Buffer);
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BlobNotFoundError);
  });
  test('open streams the stored bytes', async () => {
    await store.put(data);
    const chunks: Buffer[] = [];
    for await (const c of store.open(good.digest)) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks)).toEqual(data);
  });
  test('has/stat of an absent blob', async () => {
    expect(await store.has(missing)).toBe(false);
    expect(await store.stat(missing)).toBeUndefined();
  });
  test('blobPath rejects strings that are not sha256 digests', () => {
    expect(() => store.blobPath('sha256:../../etc/passwd' as Digest)).toThrow(/invalid blob digest/);
  });
  test('blob files are named by the hex digest under blobs/sha256', async () => {
    await store.put('hello');
    expect(await readFile(join(dir, 'blobs', 'sha256', sha256('hello').slice(7)), 'utf8')).toBe('hello');
  });
});

test('a reader that stops early releases the blob file', async () => {
  const big = blobBytes('big', 4 << 20);
  await store.put(big);
  const { readdir: ls } = await import('node:fs/promises');
  const openFds = async () => (await ls('/proc/self/fd')).length;
  const before = await openFds();
  for (let i = 0; i < 20; i++) {
    for await (const _chunk of store.open(sha256(big))) break;
  }
  // fd closes complete asynchronously: give them a few event-loop turns, then they must all be closed.
  for (let i = 0; i < 100 && (await openFds()) > before; i++) await new Promise((r) => setTimeout(r, 10));
  expect(await openFds()).toBeLessThanOrEqual(before);
});
