import { createHash, type Hash } from 'node:crypto';
import { pipeline } from 'node:stream';
import zlib from 'node:zlib';
import { digestFromHash, type Digest } from './digest.js';
import { layerCompression, type LayerCompression } from './media-types.js';
import { readTar } from './tar/reader.js';
import type { Descriptor } from './types.js';
import type { BlobSource, ImageProblem } from './validate.js';

/**
 * Checks one layer blob in a single pass: present, right size, its bytes hash to its digest and — when
 * `checkTar` — it decompresses (by media type) to a readable tar whose sha256 equals `diffId` (when known).
 * A missing non-distributable (foreign) layer is not a problem: such layers are fetched from their URLs.
 */
export async function checkLayerBlob(
  blobs: BlobSource,
  d: Descriptor,
  where: string,
  diffId: Digest | undefined,
  checkTar: boolean,
): Promise<ImageProblem[]> {
  const st = await blobs.stat(d.digest);
  if (!st) return isForeign(d) ? [] : [{ kind: 'missing-blob', where, digest: d.digest }];
  if (st.size !== d.size)
    return [{ kind: 'size-mismatch', where, digest: d.digest, expected: d.size, actual: st.size }];

  const compressedHash = createHash('sha256');
  const tarHash = createHash('sha256');
  const problems: ImageProblem[] = [];
  try {
    const blob = hashing(blobs.open(d.digest), compressedHash);
    if (checkTar) {
      const tar = hashing(decompress(blob, layerCompression(d.mediaType)), tarHash);
      for await (const entry of readTar(tar)) for await (const _chunk of entry.body);
    } else {
      for await (const _chunk of blob);
    }
  } catch (err) {
    const message = `layer ${d.digest} (${d.mediaType}): ${(err as Error).message}`;
    const actual = await digestOf(blobs.open(d.digest));
    const mismatch: ImageProblem[] =
      actual === d.digest ? [] : [{ kind: 'digest-mismatch', where, digest: d.digest, actual }];
    return [...mismatch, { kind: 'unreadable-layer', where, message }];
  }
  const actual = digestFromHash(compressedHash);
  if (actual !== d.digest) problems.push({ kind: 'digest-mismatch', where, digest: d.digest, actual });
  const actualDiffId = digestFromHash(tarHash);
  if (checkTar && diffId !== undefined && actualDiffId !== diffId) {
    problems.push({ kind: 'diff-id-mismatch', where, expected: diffId, actual: actualDiffId });
  }
  return problems;
}

/** The digest of a whole blob (second pass, after a decompression error stopped the first). */
async function digestOf(source: AsyncIterable<Uint8Array>): Promise<Digest> {
  const hash = createHash('sha256');
  for await (const chunk of source) hash.update(chunk);
  return digestFromHash(hash);
}

async function* hashing(source: AsyncIterable<Uint8Array>, hash: Hash): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    hash.update(chunk);
    yield chunk;
  }
}

function decompress(
  source: AsyncIterable<Uint8Array>,
  compression: LayerCompression,
): AsyncIterable<Uint8Array> {
  if (compression === 'none') return source;
  if (compression === 'gzip') return pipeline(source, zlib.createGunzip(), noop);
  if (typeof zlib.createZstdDecompress !== 'function') {
    throw new Error('zstd layers need Node.js 22.15 or later to decompress');
  }
  return pipeline(source, zlib.createZstdDecompress(), noop);
}

function noop(): void {}

function isForeign(d: Descriptor): boolean {
  return d.mediaType.includes('nondistributable') || d.mediaType.includes('foreign');
}
