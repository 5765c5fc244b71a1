import { createReadStream } from 'node:fs';
import { copyFile, link } from 'node:fs/promises';
import { join } from 'node:path';
import { describeError } from '../errors.js';
import { digestHex, type Digest } from '../oci/digest.js';
import type { BlobStore } from '../store/types.js';
import type { PackMember } from './cache-index.js';

/**
 * A pack is a directory of layer blobs exactly as stored (compressed), one file per blob named by its digest's
 * hex; the index lists the members. The gha store tars and compresses the directory into one cache entry; the
 * local store keeps it as it is. Packs are immutable and named by their members.
 */

/** Fills `dir` with the members' blob files from the store (hard links when possible); returns their bytes. */
export async function writePack(
  dir: string,
  members: readonly PackMember[],
  store: BlobStore,
): Promise<number> {
  let bytes = 0;
  for (const m of members) {
    const to = join(dir, digestHex(m.digest));
    const from = store.blobPath(m.digest);
    await link(from, to).catch(() => copyFile(from, to));
    bytes += m.size;
  }
  return bytes;
}

export interface IngestResult {
  readonly stored: readonly Digest[];
  readonly failed: readonly { readonly digest: Digest; readonly reason: string }[];
}

/**
 * Copies a restored pack's blobs into the store. Every blob is verified by the store's own writes (digest and
 * size); a corrupt or truncated one stores nothing and is reported as failed, with the others still stored.
 */
export async function ingestPack(
  dir: string,
  members: readonly PackMember[],
  into: BlobStore,
): Promise<IngestResult> {
  const stored: Digest[] = [];
  const failed: { digest: Digest; reason: string }[] = [];
  for (const m of members) {
    try {
      if (!(await into.has(m.digest)))
        await into.putStream(createReadStream(join(dir, digestHex(m.digest))), {
          digest: m.digest,
          size: m.size,
        });
      stored.push(m.digest);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      failed.push({
        digest: m.digest,
        reason: code === 'ENOENT' ? 'missing from the pack' : describeError(err),
      });
    }
  }
  return { stored, failed };
}
