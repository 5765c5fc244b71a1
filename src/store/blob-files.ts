import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile, rename, rm, stat, utimes, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { InternalError } from '../errors.js';
import type { Clock } from '../log.js';
import { digestFromHash, digestHex, isDigest, sha256, type Digest } from '../oci/digest.js';
import { BlobMismatchError, BlobNotFoundError } from './blob-errors.js';
import { tempFileName } from './temp-files.js';
import type { BlobIngest, BlobInfo, BlobStore, ExpectedBlob } from './types.js';

/**
 * The blob half of the store: `blobs/sha256/<hex>` files. Every write goes to a fresh temp file in the ingest
 * directory (same file system), is hashed as it is written, verified against what the caller expected,
 * fsync'ed, and renamed into place; the blob directory is fsync'ed after the rename. A failed or mismatched
 * write removes its temp file, so a blob path only ever holds complete, verified content. Concurrent writers of
 * the same blob each write their own temp file; the renames replace identical content atomically.
 */
export class BlobFiles implements BlobStore {
  readonly blobDir: string;

  constructor(
    readonly root: string,
    readonly ingestDir: string,
    private readonly clock: Clock,
  ) {
    this.blobDir = join(root, 'blobs', 'sha256');
  }

  blobPath(digest: Digest): string {
    if (!isDigest(digest)) throw new InternalError(`invalid blob digest ${JSON.stringify(digest)}`);
    return join(this.blobDir, digestHex(digest));
  }

  async has(digest: Digest): Promise<boolean> {
    return (await this.stat(digest)) !== undefined;
  }

  async stat(digest: Digest): Promise<BlobInfo | undefined> {
    try {
      const st = await stat(this.blobPath(digest));
      return st.isFile() ? { digest, size: st.size } : undefined;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  open(digest: Digest): Readable {
    const out = new PassThrough();
    const file = createReadStream(this.blobPath(digest));
    file.on('error', (err) => out.destroy(isNotFound(err) ? new BlobNotFoundError(digest, this.root) : err));
    // A consumer that stops early (destroys `out`) must not leave the file open.
    out.on('close', () => file.destroy());
    return file.pipe(out);
  }

  async read(digest: Digest): Promise<Buffer> {
    try {
      return await readFile(this.blobPath(digest));
    } catch (err) {
      if (isNotFound(err)) throw new BlobNotFoundError(digest, this.root);
      throw err;
    }
  }

  async put(data: Uint8Array | string, expected?: ExpectedBlob): Promise<BlobInfo> {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const actual = { digest: sha256(bytes), size: bytes.length };
    verify(actual, expected);
    if (await this.touchIfPresent(actual.digest)) return actual;
    const temp = await this.createTemp();
    try {
      await writeAll(temp.handle, bytes);
      return await this.commitOpenTemp(temp, actual);
    } finally {
      await temp.discard();
    }
  }

  async putStream(source: AsyncIterable<Uint8Array>, expected?: ExpectedBlob): Promise<BlobInfo> {
    if (expected && (await this.touchIfPresent(expected.digest))) {
      await source[Symbol.asyncIterator]().return?.();
      const stored = await this.stat(expected.digest);
      const size = stored?.size ?? 0;
      if (expected.size !== undefined && expected.size !== size)
        throw new BlobMismatchError(expected, stored ?? { size });
      return { digest: expected.digest, size };
    }
    const temp = await this.createTemp();
    try {
      const hash = createHash('sha256');
      let size = 0;
      for await (const chunk of source) {
        size += chunk.length;
        if (expected?.size !== undefined && size > expected.size)
          throw new BlobMismatchError(expected, { size });
        hash.update(chunk);
        await writeAll(temp.handle, chunk);
      }
      const actual = { digest: digestFromHash(hash), size };
      verify(actual, expected);
      return await this.commitOpenTemp(temp, actual);
    } finally {
      await temp.discard();
    }
  }

  async ingest(): Promise<BlobIngest> {
    const temp = await this.createTemp();
    await temp.handle.close();
    let done = false;
    return {
      path: temp.path,
      commit: async (expected?: ExpectedBlob): Promise<BlobInfo> => {
        if (done) throw new InternalError(`blob ingest ${temp.path} was already committed or aborted`);
        done = true;
        try {
          const actual = await hashFile(temp.path);
          verify(actual, expected);
          await this.moveIntoPlace(temp.path, actual.digest, true);
          return actual;
        } finally {
          await rm(temp.path, { force: true });
        }
      },
      abort: async (): Promise<void> => {
        done = true;
        await rm(temp.path, { force: true });
      },
    };
  }

  /** A blob that is already stored gets its mtime refreshed, so a concurrent gc's grace period protects it. */
  private async touchIfPresent(digest: Digest): Promise<boolean> {
    const path = this.blobPath(digest);
    const now = this.clock.now();
    try {
      await utimes(path, now, now);
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  private async createTemp(): Promise<TempFile> {
    const path = join(this.ingestDir, tempFileName('blob'));
    const handle = await open(path, 'wx', 0o644);
    let closed = false;
    return {
      path,
      handle,
      close: async () => {
        if (!closed) {
          closed = true;
          await handle.close();
        }
      },
      discard: async () => {
        if (!closed) {
          closed = true;
          await handle.close().catch(() => undefined);
        }
        await rm(path, { force: true });
      },
    };
  }

  private async commitOpenTemp(temp: TempFile, actual: BlobInfo): Promise<BlobInfo> {
    await temp.handle.sync();
    await temp.close();
    await this.moveIntoPlace(temp.path, actual.digest, false);
    return actual;
  }

  private async moveIntoPlace(tempPath: string, digest: Digest, syncFile: boolean): Promise<void> {
    if (syncFile) await syncPath(tempPath);
    await rename(tempPath, this.blobPath(digest));
    await syncPath(this.blobDir);
  }
}

interface TempFile {
  readonly path: string;
  readonly handle: FileHandle;
  close(): Promise<void>;
  discard(): Promise<void>;
}

function verify(actual: BlobInfo, expected: ExpectedBlob | undefined): void {
  if (!expected) return;
  const sizeOk = expected.size === undefined || expected.size === actual.size;
  if (!sizeOk || expected.digest !== actual.digest) throw new BlobMismatchError(expected, actual);
}

async function hashFile(path: string): Promise<BlobInfo> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { digest: digestFromHash(hash), size };
}

async function writeAll(handle: FileHandle, data: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < data.length) {
    const { bytesWritten } = await handle.write(data, offset, data.length - offset);
    offset += bytesWritten;
  }
}

/** fsync a file or directory by path (directories: makes a rename inside them durable). */
export async function syncPath(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export function isNotFound(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}
