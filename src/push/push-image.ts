/**
 * pushImage: a stored image (manifest or index) to one or more references on one registry. Per repository:
 * every blob once (HEAD → mount → upload, in parallel), then an index's image manifests by digest, then each
 * tag — only after all blobs and child manifests are confirmed, so no tag ever points at an incomplete image.
 * A tag already pointing at the digest is left alone. Later repositories mount blobs from earlier ones.
 */
import { InputError, RegistryError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Descriptor } from '../oci/types.js';
import type { AccessHint, RegistryClient } from '../registry/client.js';
import { formatReference, type Reference } from '../registry/reference.js';
import type { BlobStore } from '../store/types.js';
import { collectImageTree, type ImageTree, type StoredManifest } from './image-tree.js';
import { pushBlobs } from './push-blobs.js';
import {
  emptyStats,
  sumStats,
  type BlobStats,
  type PushProgress,
  type PushResult,
  type TagOutcome,
  type TargetPushResult,
} from './types.js';

export interface PushOptions {
  readonly client: RegistryClient;
  readonly store: BlobStore;
  /** The image manifest or index to push; it and everything it references must be in the store. */
  readonly source: Descriptor;
  /** Tags (or digests) on the client's registry; several repositories are fine. */
  readonly targets: readonly Reference[];
  readonly logger: Logger;
  /** Blobs in flight per repository (default 5). */
  readonly concurrency?: number;
  /** Repositories of the same registry that may already hold some blobs (e.g. the base image's), to mount from. */
  readonly mountFrom?: readonly string[];
  readonly onProgress?: (event: PushProgress) => void;
  /**
   * Lazy images: blobs missing from the store are allowed, and this brings one into the store when the target
   * has it neither already nor through a mount (e.g. the build's cached layers, from the layer cache).
   */
  readonly fetchMissing?: (blob: Descriptor) => Promise<void>;
  /**
   * A cancelled run: once aborted, no further blob starts and — what matters — no tag is written; the push
   * throws. (A request already on the wire finishes; a tag is only ever written after every blob is there.)
   */
  readonly signal?: AbortSignal;
}

export async function pushImage(options: PushOptions): Promise<PushResult> {
  checkTargets(options);
  const name = formatReference(options.targets[0]!);
  const tree = await collectImageTree(
    options.store,
    options.source,
    name,
    options.fetchMissing !== undefined,
  );
  const sources = [...(options.mountFrom ?? [])];
  const results: TargetPushResult[] = [];
  let total = emptyStats();
  for (const [repository, targets] of groupByRepository(options.targets)) {
    const blobs = await pushRepository(options, tree, repository, sources);
    total = sumStats(total, blobs.stats);
    for (const t of targets) {
      checkNotAborted(options);
      const outcome = await pushTarget(options, tree.top, t, blobs.access);
      results.push({ reference: t, digest: tree.top.descriptor.digest, outcome, blobs: blobs.stats });
    }
    sources.unshift(repository);
  }
  const top = tree.top.descriptor;
  return { digest: top.digest, mediaType: top.mediaType, size: top.size, targets: results, blobs: total };
}

/** Blobs, then child manifests by digest: everything a tag needs, confirmed, before any tag is written. */
async function pushRepository(
  options: PushOptions,
  tree: ImageTree,
  repository: string,
  sources: readonly string[],
): Promise<{ stats: BlobStats; access: AccessHint }> {
  const mountFrom = sources.filter((s) => s !== repository);
  const access: AccessHint = { push: true, ...(mountFrom.length ? { mountFrom } : {}) };
  const stats = await pushBlobs({
    client: options.client,
    store: options.store,
    repository,
    blobs: tree.blobs,
    sources: mountFrom,
    access,
    concurrency: Math.max(1, Math.min(options.concurrency ?? 5, 16)),
    logger: options.logger,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.fetchMissing ? { fetchMissing: options.fetchMissing } : {}),
    checkNotAborted: () => checkNotAborted(options),
  });
  for (const child of tree.children) {
    checkNotAborted(options);
    const outcome = await putIfDifferent(options.client, repository, child.descriptor.digest, child, access);
    options.onProgress?.({ kind: 'manifest', repository, digest: child.descriptor.digest, outcome });
  }
  return { stats, access };
}

async function pushTarget(
  options: PushOptions,
  top: StoredManifest,
  target: Reference,
  access: AccessHint,
): Promise<TagOutcome> {
  const ref = target.tag ?? top.descriptor.digest;
  const outcome = await putIfDifferent(options.client, target.repository, ref, top, access);
  options.logger.debug(`${formatReference(target)} → ${top.descriptor.digest}: ${outcome}`);
  options.onProgress?.({ kind: 'tag', reference: target, digest: top.descriptor.digest, outcome });
  return outcome;
}

/** HEAD first: a tag (or digest) already pointing at these bytes is left alone. */
async function putIfDifferent(
  client: RegistryClient,
  repository: string,
  ref: string,
  manifest: StoredManifest,
  access: AccessHint,
): Promise<TagOutcome> {
  const head = await client.headManifest(repository, ref, access);
  if (head?.digest === manifest.descriptor.digest) return 'unchanged';
  await client.putManifest(repository, ref, manifest.bytes, manifest.descriptor.mediaType, access);
  return 'pushed';
}

function checkNotAborted(options: PushOptions): void {
  if (!options.signal?.aborted) return;
  const name = formatReference(options.targets[0]!);
  throw new RegistryError(`push of ${name} interrupted; no further tag is written`, {
    hint: 'run the push again',
    registry: options.client.registry,
  });
}

function groupByRepository(targets: readonly Reference[]): Map<string, Reference[]> {
  const groups = new Map<string, Reference[]>();
  for (const t of targets) groups.set(t.repository, [...(groups.get(t.repository) ?? []), t]);
  return groups;
}

function checkTargets(options: PushOptions): void {
  if (options.targets.length === 0)
    throw new InputError('tags', 'nothing to push to: no target references given');
  for (const t of options.targets) {
    if (t.registry !== options.client.registry) {
      throw new InputError('tags', `${formatReference(t)} is not on registry ${options.client.registry}`, {
        hint: 'push to each registry with its own client',
      });
    }
    if (t.digest !== undefined && t.digest !== options.source.digest) {
      throw new InputError(
        'tags',
        `${formatReference(t)} names digest ${t.digest}, but the image is ${options.source.digest}`,
        {
          hint: 'drop the digest from the target, or push the image it names',
        },
      );
    }
  }
}
