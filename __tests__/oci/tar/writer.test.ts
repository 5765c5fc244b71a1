import { Readable } from 'node:stream';
import { TarError } from '../../../src/oci/tar/errors.js';
import type { TarHeader } from '../../../src/oci/tar/types.js';
import { TarWriter, tarStream } from '../../../src/oci/tar/writer.js';
import { collect, readArchive, writeArchive } from './helpers.js';

const base: TarHeader = { path: 'f', type: 'file', mode: 0o644, uid: 0, gid: 0, size: 0, mtime: 0 };
const h = (over: Partial<TarHeader>): TarHeader => ({ ...base, ...over });

describe('TarWriter rejects headers a layer must not hold', () => {
  const cases: { name: string; given: TarHeader; want: RegExp }[] = [
    { name: 'empty path', given: h({ path: '' }), want: /path is empty/ },
    { name: 'absolute path', given: h({ path: '/etc/passwd' }), want: /is absolute/ },
    { name: 'leading ./', given: h({ path: './etc' }), want: /not a clean relative path/ },
    { name: 'dot-dot component', given: h({ path: 'a/../../etc' }), want: /not a clean relative path/ },
    { name: 'double slash', given: h({ path: 'a//b' }), want: /not a clean relative path/ },
    { name: 'trailing slash', given: h({ path: 'dir/', type: 'directory' }), want: /ends with '\/'/ },
    { name: 'NUL in path', given: h({ path: 'a\0b' }), want: /NUL/ },
    { name: 'mode beyond 07777', given: h({ mode: 0o100644 }), want: /mode 33188 is not within 0..07777/ },
    { name: 'fractional mtime', given: h({ mtime: 1.5 }), want: /whole number of seconds/ },
    { name: 'negative uid', given: h({ uid: -1 }), want: /uid -1/ },
    { name: 'directory with size', given: h({ type: 'directory', size: 3 }), want: /must have size 0/ },
    { name: 'symlink without target', given: h({ type: 'symlink' }), want: /needs a linkname/ },
    {
      name: 'hardlink to absolute path',
      given: h({ type: 'hardlink', linkname: '/etc/x' }),
      want: /hardlink target/,
    },
    { name: 'file with linkname', given: h({ linkname: 'x' }), want: /cannot have a linkname/ },
    { name: 'device number on a file', given: h({ devmajor: 1 }), want: /cannot have devmajor/ },
    {
      name: 'device number too big',
      given: h({ type: 'char', devmajor: 0o10000000 }),
      want: /7 octal digits/,
    },
    {
      name: 'xattr name with =',
      given: h({ xattrs: { 'user.a=b': Buffer.from('') } }),
      want: /invalid xattr name/,
    },
    { name: 'PAX key with =', given: h({ pax: { 'a=b': 'c' } }), want: /invalid PAX record/ },
    { name: 'unknown type', given: h({ type: 'socket' as TarHeader['type'] }), want: /unknown entry type/ },
  ];
  test.each(cases)('$name', async ({ given, want }) => {
    const writer = new TarWriter();
    const out = collect(writer.stream);
    const err = await writer.add(given).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TarError);
    expect((err as TarError).reason).toBe('invalid-header');
    expect((err as TarError).message).toMatch(want);
    // Nothing was written: the writer is still usable and the archive valid.
    await writer.add(h({ path: 'ok' }));
    await writer.finish();
    expect((await readArchive(await out)).map((e) => e.header.path)).toEqual(['ok']);
  });
});

async function* chunksOf(...parts: string[]): AsyncIterable<Uint8Array> {
  for (const p of parts) yield Buffer.from(p);
}

describe('TarWriter checks body length against size', () => {
  const cases: {
    name: string;
    given: { size: number; body: () => Buffer | AsyncIterable<Uint8Array> };
    want: RegExp;
  }[] = [
    {
      name: 'buffer too short',
      given: { size: 4, body: () => Buffer.from('abc') },
      want: /says 4 bytes but the body has 3/,
    },
    {
      name: 'buffer too long',
      given: { size: 2, body: () => Buffer.from('abc') },
      want: /says 2 bytes but the body has 3/,
    },
    {
      name: 'stream too short',
      given: { size: 9, body: () => chunksOf('abc', 'def') },
      want: /says 9 bytes but the body has 6/,
    },
    {
      name: 'stream too long',
      given: { size: 5, body: () => chunksOf('abc', 'def') },
      want: /says 5 bytes but the body has at least 6/,
    },
  ];
  test.each(cases)('$name', async ({ given, want }) => {
    const writer = new TarWriter();
    const out = collect(writer.stream).catch((e: unknown) => e);
    const err = await writer.add(h({ size: given.size }), given.body()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TarError);
    expect((err as TarError).reason).toBe('size-mismatch');
    expect((err as TarError).message).toMatch(want);
    await writer.finish().catch(() => undefined);
    await out;
  });

  test('a short stream body fails the archive stream, so no consumer keeps a corrupt tar', async () => {
    const writer = new TarWriter();
    const out = collect(writer.stream).catch((e: unknown) => e);
    await expect(writer.add(h({ size: 9 }), chunksOf('abc'))).rejects.toThrow(TarError);
    expect(await out).toBeInstanceOf(TarError);
    await expect(writer.add(h({ path: 'later' }))).rejects.toThrow(/says 9 bytes/);
  });

  test('a body for a non-file entry is refused', async () => {
    const writer = new TarWriter();
    await expect(writer.add(h({ type: 'directory' }), Buffer.alloc(0))).rejects.toThrow(/has no body/);
  });
});

describe('TarWriter streaming', () => {
  test('holds back the body producer while the consumer is behind (backpressure)', async () => {
    const chunk = 64 * 1024;
    const total = 64 * 1024 * 1024;
    const highWaterMark = 256 * 1024;
    let produced = 0;
    let consumed = 0;
    let maxAhead = 0;
    async function* body(): AsyncIterable<Uint8Array> {
      for (let i = 0; i < total / chunk; i++) {
        produced += chunk;
        maxAhead = Math.max(maxAhead, produced - consumed);
        yield Buffer.alloc(chunk, i & 0xff);
      }
    }
    const writer = new TarWriter({ highWaterMark });
    const adding = writer.add(h({ size: total }), body()).then(() => writer.finish());
    for await (const c of writer.stream) {
      consumed += (c as Buffer).length;
      await new Promise((r) => setImmediate(r));
    }
    await adding;
    expect(consumed).toBe(512 + total + 1024);
    expect(maxAhead).toBeLessThanOrEqual(highWaterMark + 2 * chunk);
  });

  test('calls made without awaiting are written in call order', async () => {
    const writer = new TarWriter();
    const out = collect(writer.stream);
    const names = Array.from({ length: 20 }, (_, i) => `f${i}`);
    const adds = names.map((n, i) => writer.add(h({ path: n, size: i }), Buffer.alloc(i, 0x41 + i)));
    await Promise.all([...adds, writer.finish()]);
    const entries = await readArchive(await out);
    expect(entries.map((e) => e.header.path)).toEqual(names);
    expect(entries.map((e) => e.body.length)).toEqual(names.map((_, i) => i));
  });

  test('destroying the stream makes a pending add fail', async () => {
    const writer = new TarWriter({ highWaterMark: 1024 });
    const adding = writer.add(h({ size: 1 << 20 }), Buffer.alloc(1 << 20));
    writer.stream.destroy();
    await expect(adding).rejects.toThrow(/closed before it was finished/);
  });

  test('an empty archive is two zero blocks', async () => {
    expect(await writeArchive([])).toEqual(Buffer.alloc(1024));
  });

  test('tarStream writes an iterable of entries, and fails the stream on a bad one', async () => {
    const good = await collect(tarStream([{ header: h({ path: 'a', size: 1 }), body: Buffer.from('x') }]));
    expect((await readArchive(good)).map((e) => [e.header.path, e.body.toString()])).toEqual([['a', 'x']]);
    const bad = tarStream(Readable.from([{ header: h({ path: '/abs' }) }]));
    await expect(collect(bad)).rejects.toThrow(/is absolute/);
  });
});
