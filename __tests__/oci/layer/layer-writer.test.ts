import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, zstdDecompressSync } from 'node:zlib';
import { InputError } from '../../../src/errors.js';
import { compressGzipMember } from '../../../src/oci/gzip-member.js';
import { gzipMemberSize } from '../../../src/oci/layer-compress.js';
import { writeLayer, type LayerWriteOptions } from '../../../src/oci/layer-writer.js';
import { MediaType } from '../../../src/oci/media-types.js';
import type { ImageStore } from '../../../src/store/types.js';
import { expectSameBytes, inPieces, sampleTar, sha256Of, tempStore } from './helpers.js';

let store: ImageStore;
let small: Buffer;
let multi: Buffer;
beforeAll(async () => {
  store = await tempStore();
  small = await sampleTar(40_000, 'small');
  multi = await sampleTar(3 * gzipMemberSize + 123_457, 'multi'); // three full members and a partial one
});
afterAll(() => rmSync(store.root, { recursive: true, force: true }));

async function write(tar: Buffer, opts: LayerWriteOptions, piece = 65_536) {
  return writeLayer(inPieces(tar, piece), await store.ingest(), opts);
}

/** Decompresses a stored blob with the system tool, as an independent check of the format. */
function decompressWithTool(blob: Buffer, compression: string): Buffer {
  const max = { input: blob, maxBuffer: 1 << 30 };
  if (compression === 'gzip') {
    execFileSync('gzip', ['-t'], max);
    return execFileSync('gunzip', ['-c'], max);
  }
  if (compression === 'zstd') {
    execFileSync('zstd', ['-t', '-q'], max);
    return execFileSync('zstd', ['-dc'], max);
  }
  return blob;
}

describe('writeLayer stores a layer and describes it', () => {
  const cases = [
    {
      name: 'gzip, small',
      given: { tar: () => small, opts: { compression: 'gzip' } },
      want: { mediaType: MediaType.ociLayerGzip },
    },
    {
      name: 'gzip, several members',
      given: { tar: () => multi, opts: { compression: 'gzip' } },
      want: { mediaType: MediaType.ociLayerGzip },
    },
    {
      name: 'gzip, docker media type',
      given: { tar: () => small, opts: { compression: 'gzip', mediaTypeFamily: 'docker' } },
      want: { mediaType: MediaType.dockerLayerGzip },
    },
    {
      name: 'zstd',
      given: { tar: () => multi, opts: { compression: 'zstd' } },
      want: { mediaType: MediaType.ociLayerZstd },
    },
    {
      name: 'uncompressed',
      given: { tar: () => multi, opts: { compression: 'none' } },
      want: { mediaType: MediaType.ociLayer },
    },
    {
      name: 'gzip, empty input',
      given: { tar: () => Buffer.alloc(0), opts: { compression: 'gzip' } },
      want: { mediaType: MediaType.ociLayerGzip },
    },
    {
      name: 'zstd, empty input',
      given: { tar: () => Buffer.alloc(0), opts: { compression: 'zstd' } },
      want: { mediaType: MediaType.ociLayerZstd },
    },
  ] as const;
  test.each(cases)('$name', async ({ given, want }) => {
    const tar = given.tar();
    const got = await write(tar, given.opts as LayerWriteOptions);
    const blob = readFileSync(store.blobPath(got.digest));
    expect(got).toEqual({
      diffId: sha256Of(tar),
      digest: sha256Of(blob),
      size: blob.length,
      uncompressedSize: tar.length,
      mediaType: want.mediaType,
    });
    expect(await store.stat(got.digest)).toEqual({ digest: got.digest, size: got.size });
    expectSameBytes(decompressWithTool(blob, given.opts.compression), tar);
    const inNode =
      given.opts.compression === 'gzip'
        ? gunzipSync(blob)
        : given.opts.compression === 'zstd'
          ? zstdDecompressSync(blob)
          : blob;
    expectSameBytes(inNode, tar);
    if (given.opts.compression === 'none') expect(got.digest).toBe(got.diffId);
  });
});

describe('gzip output is deterministic', () => {
  test('the same bytes whatever the concurrency or how the input arrives', async () => {
    const results = [];
    for (const [concurrency, piece] of [
      [1, 65_536],
      [2, 1000],
      [3, gzipMemberSize],
      [5, 7 * gzipMemberSize],
    ] as const) {
      results.push((await write(multi, { compression: 'gzip', concurrency }, piece)).digest);
    }
    expect(new Set(results).size).toBe(1);
  });

  test('independent members of fixed-size chunks: mtime 0, fixed OS byte, concatenated in order', async () => {
    const got = await write(multi, { compression: 'gzip', concurrency: 2 });
    const members: Buffer[] = [];
    for (let i = 0; i < multi.length; i += gzipMemberSize) {
      members.push(await compressGzipMember(multi.subarray(i, i + gzipMemberSize), 6));
    }
    expect(members).toHaveLength(4);
    // magic, deflate, no flags, mtime 0, XFL 0 (level 6), OS 255
    for (const m of members) expect(m.subarray(0, 10).toString('hex')).toBe('1f8b08000000000000ff');
    expectSameBytes(readFileSync(store.blobPath(got.digest)), Buffer.concat(members));
  });

  test('the level is part of the output', async () => {
    const level1 = await write(small, { compression: 'gzip', level: 1 });
    const level9 = await write(small, { compression: 'gzip', level: 9 });
    expect(level1.diffId).toBe(level9.diffId);
    expect(level1.digest).not.toBe(level9.digest);
    expectSameBytes(gunzipSync(readFileSync(store.blobPath(level9.digest))), small);
  });

  test('zstd: the same bytes however the input arrives', async () => {
    const a = await write(multi, { compression: 'zstd' }, 1000);
    const b = await write(multi, { compression: 'zstd' }, 5 * gzipMemberSize);
    expect(a.digest).toBe(b.digest);
  });
});

describe('writeLayer failures store nothing', () => {
  test('a failing tar stream aborts the ingest and rethrows', async () => {
    async function* failing(): AsyncIterable<Uint8Array> {
      yield multi.subarray(0, 2 * gzipMemberSize);
      throw new Error('disk on fire');
    }
    const before = readdirSync(join(store.root, 'blobs', 'sha256')).length;
    const ingest = await store.ingest();
    await expect(writeLayer(failing(), ingest, { compression: 'gzip', concurrency: 2 })).rejects.toThrow(
      'disk on fire',
    );
    expect(readdirSync(join(store.root, 'blobs', 'sha256'))).toHaveLength(before);
    expect(() => readFileSync(ingest.path)).toThrow(/ENOENT/);
  });

  const invalid: { name: string; given: LayerWriteOptions; want: { input: string; message: RegExp } }[] = [
    {
      name: 'gzip level 10',
      given: { compression: 'gzip', level: 10 },
      want: { input: 'compression-level', message: /10 is not a gzip level.*from 0 to 9/ },
    },
    {
      name: 'zstd level 0',
      given: { compression: 'zstd', level: 0 },
      want: { input: 'compression-level', message: /0 is not a zstd level.*from 1 to 19/ },
    },
    {
      name: 'fractional level',
      given: { compression: 'gzip', level: 2.5 },
      want: { input: 'compression-level', message: /2.5/ },
    },
    {
      name: 'zero concurrency',
      given: { compression: 'gzip', concurrency: 0 },
      want: { input: 'compression-concurrency', message: /0 is not a number of threads/ },
    },
    {
      name: 'zstd with Docker media types',
      given: { compression: 'zstd', mediaTypeFamily: 'docker' },
      want: { input: 'compression', message: /Docker schema 2 images have no zstd layer type/ },
    },
  ];
  test.each(invalid)('$name', async ({ given, want }) => {
    const ingest = await store.ingest();
    const err = await writeLayer(inPieces(small, 1000), ingest, given).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).input).toBe(want.input);
    expect((err as InputError).userMessage()).toMatch(want.message);
    await ingest.abort();
  });
});

test('a big layer streams through in bounded memory', async () => {
  const size = 256 * 1024 * 1024;
  let peak = 0;
  async function* source(): AsyncIterable<Uint8Array> {
    const block = Buffer.alloc(1 << 20);
    for (let i = 0; i < size / block.length; i++) {
      block.writeUInt32LE(i, (i * 4099) % block.length); // a little entropy per block
      peak = Math.max(peak, process.memoryUsage().arrayBuffers);
      yield Buffer.from(block);
    }
  }
  const got = await writeLayer(source(), await store.ingest(), {
    compression: 'gzip',
    level: 1,
    concurrency: 2,
  });
  expect(got.uncompressedSize).toBe(size);
  expect(peak).toBeLessThan(160 * 1024 * 1024);
});
