import type { Readable } from 'node:stream';
import type { Digest } from '../oci/digest.js';
import type { Descriptor } from '../oci/types.js';

/** Size and digest of a stored blob. */
export interface BlobInfo {
  readonly digest: Digest;
  readonly size: number;
}

/** What a writer expects to store; a mismatch stores nothing and throws. */
export interface ExpectedBlob {
  readonly digest: Digest;
  readonly size?: number;
}

/**
 * A file being written into the store by someone else (e.g. the layer compressor writing a gzip stream):
 * `path` is a temp file on the store's file system; `commit` hashes/verifies it and renames it into place.
 */
export interface BlobIngest {
  readonly path: string;
  /** Verifies (against `expected` when given, else the digest the caller computed) and moves into place. */
  commit(expected?: ExpectedBlob): Promise<BlobInfo>;
  abort(): Promise<void>;
}

/** Content-addressed blobs. Writes are atomic (temp file + rename) and digest-verified. */
export interface BlobStore {
  has(digest: Digest): Promise<boolean>;
  stat(digest: Digest): Promise<BlobInfo | undefined>;
  /** The file holding the blob (it may not exist); for uploads with Content-Length and for hard links. */
  blobPath(digest: Digest): string;
  /** Streams a blob; rejects (on the stream) when it is missing. */
  open(digest: Digest): Readable;
  read(digest: Digest): Promise<Buffer>;
  put(data: Uint8Array | string, expected?: ExpectedBlob): Promise<BlobInfo>;
  putStream(source: AsyncIterable<Uint8Array>, expected?: ExpectedBlob): Promise<BlobInfo>;
  ingest(): Promise<BlobIngest>;
}

/** A named reference in the store's index.json (annotation org.opencontainers.image.ref.name). */
export interface StoredRef {
  readonly name: string;
  readonly descriptor: Descriptor;
}

/** An OCI image layout directory: blobs plus index.json naming the images in it. */
export interface ImageStore extends BlobStore {
  readonly root: string;
  listRefs(): Promise<readonly StoredRef[]>;
  resolve(name: string): Promise<Descriptor | undefined>;
  /** Points `name` at `descriptor` (replacing an earlier entry of that name). */
  tag(name: string, descriptor: Descriptor): Promise<void>;
  untag(name: string): Promise<void>;
  /** Removes blobs not reachable from index.json (and from `keep`); returns what was freed. */
  gc(keep?: readonly Digest[], options?: GcOptions): Promise<GcResult>;
}

export interface GcOptions {
  /**
   * Blobs written or re-put within this many milliseconds are kept even when unreachable: another writer may be
   * about to tag them. Defaults to the store's `gcGraceMs`.
   */
  readonly graceMs?: number;
}

export interface GcResult {
  /** Blobs deleted and their bytes. */
  readonly removed: number;
  readonly bytes: number;
  /** Stale temp files (left by killed writers) deleted. */
  readonly tempFiles: number;
}
