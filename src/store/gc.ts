import { readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { InternalError } from '../errors.js';
import { isDigest, type Digest } from '../oci/digest.js';
import { parseManifest } from '../oci/manifest-codec.js';
import { isManifestMediaType } from '../oci/media-types.js';
import type { Descriptor } from '../oci/types.js';
import type { BlobFiles } from './blob-files.js';
import type { BlobStore } from './types.js';

/**
 * Every blob reachable from `roots`: the roots, and for each manifest its config, layers and subject, for each
 * index its manifests, recursively. Missing blobs are skipped (a partial image keeps what it has). A manifest
 * that cannot be parsed aborts the walk: deleting blobs it might reference would destroy data.
 */
export async function reachableBlobs(
  blobs: Pick<BlobStore, 'has' | 'read'>,
  roots: readonly Descriptor[],
): Promise<Set<Digest>> {
  const seen = new Set<Digest>();
  const queue = [...roots];
  for (let d = queue.pop(); d !== undefined; d = queue.pop()) {
    if (seen.has(d.digest)) continue;
    seen.add(d.digest);
    if (!isManifestMediaType(d.mediaType) || !(await blobs.has(d.digest))) continue;
    queue.push(...childrenOf(await blobs.read(d.digest), d));
  }
  return seen;
}

function childrenOf(bytes: Buffer, d: Descriptor): Descriptor[] {
  try {
    const parsed = parseManifest(bytes, { mediaType: d.mediaType, source: `manifest ${d.digest}` });
    const own =
      parsed.kind === 'index'
        ? [...parsed.index.manifests]
        : [parsed.manifest.config, ...parsed.manifest.layers];
    const subject = parsed.kind === 'index' ? parsed.index.subject : parsed.manifest.subject;
    return subject ? [...own, subject] : own;
  } catch (err) {
    throw new InternalError(`image store garbage collection stopped: cannot read manifest ${d.digest}`, {
      hint: 'remove the image that references it (untag) or fix the store; no blob was deleted',
      cause: err,
    });
  }
}

export interface SweepOptions {
  /** Milliseconds since the epoch (the store's clock). */
  readonly now: number;
  /** Blobs modified within this many milliseconds are kept (a writer may be about to reference them). */
  readonly graceMs: number;
}

/** Deletes every blob file not in `keep` and older than the grace period. */
export async function sweepBlobs(
  blobs: BlobFiles,
  keep: ReadonlySet<Digest>,
  opts: SweepOptions,
): Promise<{ removed: number; bytes: number }> {
  let removed = 0;
  let bytes = 0;
  for (const name of await readdir(blobs.blobDir)) {
    const digest = `sha256:${name}`;
    if (!isDigest(digest) || keep.has(digest)) continue;
    const path = join(blobs.blobDir, name);
    const st = await stat(path).catch(() => undefined);
    if (!st?.isFile() || opts.now - st.mtimeMs < opts.graceMs) continue;
    if (!(await removeFile(path))) continue;
    removed++;
    bytes += st.size;
  }
  return { removed, bytes };
}

/** Unlinks a file; false when it was already gone (another gc got there first). */
async function removeFile(path: string): Promise<boolean> {
  try {
    await unlink(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}
