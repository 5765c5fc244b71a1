import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { InternalError } from '../errors.js';
import { systemClock, type Clock } from '../log.js';
import type { Digest } from '../oci/digest.js';
import { encodeIndex } from '../oci/manifest-codec.js';
import type { Descriptor, ImageIndex } from '../oci/types.js';
import { BlobFiles } from './blob-files.js';
import { BlobNotFoundError } from './blob-errors.js';
import { withFileLock } from './file-lock.js';
import { reachableBlobs, sweepBlobs } from './gc.js';
import {
  checkRefName,
  createFileOnce,
  emptyIndex,
  ociLayoutContent,
  readLayoutIndex,
  refsOf,
  withoutTag,
  withTag,
  writeLayoutIndex,
} from './layout-index.js';
import { ingestDirName, sweepStaleTemps } from './temp-files.js';
import type {
  BlobIngest,
  BlobInfo,
  ExpectedBlob,
  GcOptions,
  GcResult,
  ImageStore,
  StoredRef,
} from './types.js';

export interface StoreOptions {
  readonly clock?: Clock;
  /** gc keeps unreachable blobs younger than this (default 10 minutes): another writer may be about to tag them. */
  readonly gcGraceMs?: number;
  /** A temp file whose writer cannot be checked (another host/container) is stale after this (default 24 h). */
  readonly tempMaxAgeMs?: number;
  /** How long to wait for another process's index.json update (default 60 s). */
  readonly lockTimeoutMs?: number;
  /** A lock older than this is broken even if its holder looks alive (default 30 s; holders keep it for ms). */
  readonly lockStaleMs?: number;
}

const layoutEntries = new Set(['oci-layout', 'index.json', 'blobs', ingestDirName, 'index.json.lock']);

/**
 * Opens (creating if needed) an OCI image layout directory as an ImageStore. Safe to call concurrently from
 * several processes on the same directory. Refuses a non-empty directory that is not an OCI layout.
 */
export async function openStore(dir: string, options: StoreOptions = {}): Promise<ImageStore> {
  const root = resolve(dir);
  const ingestDir = join(root, ingestDirName);
  await mkdir(root, { recursive: true });
  await checkLayoutDir(root);
  await mkdir(join(root, 'blobs', 'sha256'), { recursive: true });
  await mkdir(ingestDir, { recursive: true });
  await createFileOnce(root, ingestDir, 'oci-layout', Buffer.from(ociLayoutContent));
  await createFileOnce(root, ingestDir, 'index.json', encodeIndex(emptyIndex));
  return new LayoutStore(root, ingestDir, options);
}

async function checkLayoutDir(root: string): Promise<void> {
  let layout: string | undefined;
  try {
    layout = await readFile(join(root, 'oci-layout'), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (layout === undefined) {
    const foreign = (await readdir(root)).filter((n) => !layoutEntries.has(n));
    if (foreign.length > 0) {
      throw new InternalError(
        `${root} is not an OCI image layout and is not empty (it holds ${foreign[0]})`,
        {
          hint: 'point the image store at an empty or new directory',
        },
      );
    }
    return;
  }
  let version: unknown;
  try {
    version = (JSON.parse(layout) as { imageLayoutVersion?: unknown }).imageLayoutVersion;
  } catch {
    version = undefined;
  }
  if (typeof version !== 'string' || !version.startsWith('1.')) {
    throw new InternalError(
      `${root}/oci-layout has unsupported content ${JSON.stringify(layout.slice(0, 80))}`,
      {
        hint: 'expected {"imageLayoutVersion":"1.0.0"}; point the image store at an OCI image layout directory',
      },
    );
  }
}

class LayoutStore implements ImageStore {
  private readonly blobs: BlobFiles;
  private readonly clock: Clock;

  constructor(
    readonly root: string,
    private readonly ingestDir: string,
    private readonly options: StoreOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.blobs = new BlobFiles(root, ingestDir, this.clock);
  }

  has(digest: Digest): Promise<boolean> {
    return this.blobs.has(digest);
  }
  stat(digest: Digest): Promise<BlobInfo | undefined> {
    return this.blobs.stat(digest);
  }
  blobPath(digest: Digest): string {
    return this.blobs.blobPath(digest);
  }
  open(digest: Digest): Readable {
    return this.blobs.open(digest);
  }
  read(digest: Digest): Promise<Buffer> {
    return this.blobs.read(digest);
  }
  put(data: Uint8Array | string, expected?: ExpectedBlob): Promise<BlobInfo> {
    return this.blobs.put(data, expected);
  }
  putStream(source: AsyncIterable<Uint8Array>, expected?: ExpectedBlob): Promise<BlobInfo> {
    return this.blobs.putStream(source, expected);
  }
  ingest(): Promise<BlobIngest> {
    return this.blobs.ingest();
  }

  async listRefs(): Promise<readonly StoredRef[]> {
    return refsOf(await readLayoutIndex(this.root));
  }

  async resolve(name: string): Promise<Descriptor | undefined> {
    const refs = await this.listRefs();
    return refs.find((r) => r.name === name)?.descriptor;
  }

  async tag(name: string, descriptor: Descriptor): Promise<void> {
    checkRefName(name);
    await this.locked(async () => {
      // Checked under the lock so that a concurrent gc cannot delete the image between check and tag.
      if (!(await this.blobs.has(descriptor.digest)))
        throw new BlobNotFoundError(descriptor.digest, this.root);
      const index = await readLayoutIndex(this.root);
      await writeLayoutIndex(this.root, this.ingestDir, withTag(index, name, descriptor));
    });
  }

  async untag(name: string): Promise<void> {
    await this.updateIndex((index) => withoutTag(index, name));
  }

  async gc(keep: readonly Digest[] = [], options: GcOptions = {}): Promise<GcResult> {
    return this.locked(async () => {
      const index = await readLayoutIndex(this.root);
      const reachable = await reachableBlobs(this.blobs, index.manifests);
      for (const d of keep) reachable.add(d);
      const now = this.clock.now().getTime();
      const graceMs = options.graceMs ?? this.options.gcGraceMs ?? 10 * 60_000;
      const swept = await sweepBlobs(this.blobs, reachable, { now, graceMs });
      const maxAgeMs = this.options.tempMaxAgeMs ?? 24 * 3600_000;
      const temps = await sweepStaleTemps(this.ingestDir, { now, maxAgeMs });
      return { removed: swept.removed, bytes: swept.bytes, tempFiles: temps.removed };
    });
  }

  private async updateIndex(change: (index: ImageIndex) => ImageIndex): Promise<void> {
    await this.locked(async () => {
      const next = change(await readLayoutIndex(this.root));
      await writeLayoutIndex(this.root, this.ingestDir, next);
    });
  }

  private locked<T>(fn: () => Promise<T>): Promise<T> {
    return withFileLock(
      join(this.root, 'index.json.lock'),
      {
        clock: this.clock,
        tempDir: this.ingestDir,
        staleMs: this.options.lockStaleMs ?? 30_000,
        timeoutMs: this.options.lockTimeoutMs ?? 60_000,
      },
      fn,
    );
  }
}
