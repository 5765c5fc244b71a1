import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { InputError } from '../errors.js';
import type { BlobIngest } from '../store/types.js';
import { digestFromHash, type Digest } from './digest.js';
import { compressionSettings, compressStream } from './layer-compress.js';
import { layerMediaType, type LayerCompression } from './media-types.js';

export interface LayerWriteOptions {
  readonly compression: LayerCompression;
  /** gzip 0–9 (default 6, as BuildKit), zstd 1–19 (default 3). Part of the digest: keep it stable. */
  readonly level?: number;
  /** gzip members compressed at once (default: the cores available, at most 4). Does not change the output. */
  readonly concurrency?: number;
  /** Layer media type family (default 'oci'; 'docker' allows gzip only). */
  readonly mediaTypeFamily?: 'oci' | 'docker';
}

export interface LayerWriteResult {
  /** sha256 of the uncompressed tar: the config's rootfs.diff_ids entry. */
  readonly diffId: Digest;
  /** sha256 of the stored (compressed) blob: the manifest's layer descriptor digest. */
  readonly digest: Digest;
  readonly size: number;
  readonly uncompressedSize: number;
  readonly mediaType: string;
}

/**
 * Compresses a layer tar into the store in one pass: hashes the tar (diffID) and the compressed bytes (digest)
 * as they stream, writes the compressed bytes to `sink.path`, then commits the blob with the digest and size
 * computed. On any failure the ingest is aborted (nothing is stored) and the error rethrown.
 */
export async function writeLayer(
  tar: AsyncIterable<Uint8Array>,
  sink: BlobIngest,
  opts: LayerWriteOptions,
): Promise<LayerWriteResult> {
  const settings = compressionSettings(opts);
  const family = opts.mediaTypeFamily ?? 'oci';
  if (family === 'docker' && opts.compression !== 'gzip') {
    throw new InputError('compression', `Docker schema 2 images have no ${opts.compression} layer type`, {
      hint: 'use gzip compression, or OCI media types',
    });
  }
  const mediaType = layerMediaType(opts.compression, family);
  const tarHash = createHash('sha256');
  let uncompressedSize = 0;
  async function* hashed(): AsyncGenerator<Uint8Array> {
    for await (const chunk of tar) {
      tarHash.update(chunk);
      uncompressedSize += chunk.length;
      yield chunk;
    }
  }
  const blobHash = createHash('sha256');
  let size = 0;
  let file: FileHandle | undefined;
  try {
    file = await open(sink.path, 'w');
    for await (const piece of compressStream(hashed(), settings)) {
      blobHash.update(piece);
      size += piece.length;
      await writeFully(file, piece);
    }
    await file.close();
    file = undefined;
    const stored = await sink.commit({ digest: digestFromHash(blobHash), size });
    return {
      diffId: digestFromHash(tarHash),
      digest: stored.digest,
      size: stored.size,
      uncompressedSize,
      mediaType,
    };
  } catch (err) {
    await file?.close().catch(() => undefined);
    await sink.abort().catch(() => undefined);
    throw err;
  }
}

async function writeFully(file: FileHandle, data: Buffer): Promise<void> {
  let offset = 0;
  while (offset < data.length) {
    const { bytesWritten } = await file.write(data, offset, data.length - offset);
    offset += bytesWritten;
  }
}
