/**
 * The blob stage of a push into one repository: every blob once, in parallel: HEAD → mount from a known
 * repository of the same registry → upload (reusing the session a refused mount opened).
 */
import { createReadStream } from 'node:fs';
import type { Logger } from '../log.js';
import type { Descriptor } from '../oci/types.js';
import { mapBounded } from '../registry/bounded.js';
import type { AccessHint, RegistryClient } from '../registry/client.js';
import type { BlobStore } from '../store/types.js';
import { addToStats, emptyStats, type BlobOutcome, type BlobStats, type PushProgress } from './types.js';

export interface BlobStage {
  readonly client: RegistryClient;
  readonly store: BlobStore;
  readonly repository: string;
  readonly blobs: readonly Descriptor[];
  /** Repositories of this registry that may hold the blobs, best first. */
  readonly sources: readonly string[];
  readonly access: AccessHint;
  readonly concurrency: number;
  readonly logger: Logger;
  readonly onProgress?: (event: PushProgress) => void;
  /** Brings a blob that is not in the store into it (see PushOptions.fetchMissing). */
  readonly fetchMissing?: (blob: Descriptor) => Promise<void>;
  /** Checked before each blob starts (see PushOptions.signal). */
  readonly checkNotAborted?: () => void;
}

export async function pushBlobs(stage: BlobStage): Promise<BlobStats> {
  const outcomes = await mapBounded(stage.blobs, stage.concurrency, (d) => pushBlob(stage, d));
  return outcomes.reduce(
    (stats, outcome, i) => addToStats(stats, outcome, stage.blobs[i]!.size),
    emptyStats(),
  );
}

async function pushBlob(stage: BlobStage, d: Descriptor): Promise<BlobOutcome> {
  stage.checkNotAborted?.();
  const outcome = await transfer(stage, d);
  stage.logger.debug(`blob ${d.digest} (${d.size} bytes) → ${stage.repository}: ${outcome}`);
  stage.onProgress?.({ kind: 'blob', repository: stage.repository, digest: d.digest, size: d.size, outcome });
  return outcome;
}

async function transfer(stage: BlobStage, d: Descriptor): Promise<BlobOutcome> {
  const { client, repository, access } = stage;
  if (await client.blobExists(repository, d.digest, access)) return 'exists';
  // The store's file, read in 1 MiB chunks: Content-Length is known, and each retry re-opens it.
  const path = stage.store.blobPath(d.digest);
  const content = {
    digest: d.digest,
    size: d.size,
    open: () => createReadStream(path, { highWaterMark: 1 << 20 }),
  };
  const from = stage.sources.find((s) => s !== repository);
  if (from !== undefined) {
    const mount = await client.mountBlob(repository, d.digest, from, access);
    if (mount.kind === 'mounted') return 'mounted';
    await ensureStored(stage, d);
    await client.uploadBlob(repository, content, access, mount.location);
    return 'uploaded';
  }
  await ensureStored(stage, d);
  await client.uploadBlob(repository, content, access);
  return 'uploaded';
}

/** Only a blob that really has to be uploaded is downloaded first (lazy restore). */
async function ensureStored(stage: BlobStage, d: Descriptor): Promise<void> {
  if (!stage.fetchMissing || (await stage.store.has(d.digest))) return;
  stage.logger.debug(`blob ${d.digest} is not stored locally: fetching it to upload`);
  await stage.fetchMissing(d);
}
