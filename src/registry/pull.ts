/**
 * Pull into the local store: resolve the reference to a manifest (an index is narrowed to one platform), store
 * manifest(s), config and layers through the store's verified writes (a digest mismatch stores nothing), skip
 * what the store already has, and tag the result. A reference by digest that is already stored needs no request.
 */
import type { Logger } from '../log.js';
import type { Digest } from '../oci/digest.js';
import { selectManifest } from '../oci/image.js';
import { ManifestFormatError, parseManifest, type ParsedManifest } from '../oci/manifest-codec.js';
import type { Descriptor, ImageManifest, Platform } from '../oci/types.js';
import type { ImageStore } from '../store/types.js';
import { mapBounded } from './bounded.js';
import type { RegistryClient } from './client.js';
import { formatReference, type Reference } from './reference.js';

export interface PullOptions {
  readonly store: ImageStore;
  readonly logger: Logger;
  /** Which manifest of an index to pull; required when the index offers several platforms. */
  readonly platform?: Platform;
  /** Store ref name to tag (default: the full reference, e.g. `ghcr.io/owner/app:1`); `false` tags nothing. */
  readonly tag?: string | false;
  /** Blob downloads in flight (default 4). */
  readonly concurrency?: number;
}

export interface TransferCount {
  readonly blobs: number;
  readonly bytes: number;
}

export interface PullResult {
  readonly reference: Reference;
  /** What the reference points at: an index or an image manifest. */
  readonly resolved: Descriptor;
  /** The image manifest pulled (the platform's entry when `resolved` is an index). */
  readonly manifest: Descriptor;
  readonly config: Descriptor;
  readonly layers: readonly Descriptor[];
  /** Blobs (config, layers) downloaded, and found already in the store. */
  readonly fetched: TransferCount;
  readonly reused: TransferCount;
}

export async function pullImage(
  client: RegistryClient,
  ref: Reference,
  options: PullOptions,
): Promise<PullResult> {
  const name = formatReference(ref);
  const top = await storeManifest(client, ref.repository, ref.digest ?? ref.tag ?? 'latest', options.store);
  const image =
    top.parsed.kind === 'image' ? { descriptor: top.descriptor, manifest: top.parsed.manifest } : undefined;
  const { descriptor, manifest } =
    image ?? (await storePlatformManifest(client, ref.repository, top, name, options));
  const blobs = uniqueByDigest([manifest.config, ...manifest.layers]);
  const outcomes = await mapBounded(blobs, options.concurrency ?? 4, (d) =>
    storeBlob(client, ref.repository, d, options.store),
  );
  if (options.tag !== false) await options.store.tag(options.tag ?? name, descriptor);
  const count = (fetched: boolean): TransferCount => {
    const picked = outcomes.filter((o) => o.fetched === fetched);
    return { blobs: picked.length, bytes: picked.reduce((n, o) => n + o.size, 0) };
  };
  const result: PullResult = {
    reference: ref,
    resolved: top.descriptor,
    manifest: descriptor,
    config: manifest.config,
    layers: manifest.layers,
    fetched: count(true),
    reused: count(false),
  };
  options.logger.debug(
    `pulled ${name} (${descriptor.digest}): ${result.fetched.blobs} blobs fetched, ${result.reused.blobs} already stored`,
  );
  return result;
}

/** Narrows an index to the wanted platform's image manifest and stores that manifest. */
async function storePlatformManifest(
  client: RegistryClient,
  repository: string,
  top: StoredManifest,
  name: string,
  options: PullOptions,
): Promise<{ readonly descriptor: Descriptor; readonly manifest: ImageManifest }> {
  if (top.parsed.kind !== 'index') throw new ManifestFormatError(name, 'expected an index');
  const chosen = selectManifest(top.parsed.index, options.platform, name);
  const child = await storeManifest(client, repository, chosen.digest, options.store, chosen.mediaType);
  if (child.parsed.kind !== 'image') throw new ManifestFormatError(name, 'an index entry is itself an index');
  const descriptor = { ...child.descriptor, ...(chosen.platform ? { platform: chosen.platform } : {}) };
  return { descriptor, manifest: child.parsed.manifest };
}

interface StoredManifest {
  readonly descriptor: Descriptor;
  readonly parsed: ParsedManifest;
}

/** The manifest at `ref` (tag or digest): from the store when the digest is known and stored, else fetched. */
async function storeManifest(
  client: RegistryClient,
  repository: string,
  ref: string,
  store: ImageStore,
  mediaType?: string,
): Promise<StoredManifest> {
  const source = `manifest ${ref} of ${client.registry}/${repository}`;
  if (ref.startsWith('sha256:') && (await store.has(ref as Digest))) {
    const bytes = await store.read(ref as Digest);
    const parsed = parseManifest(bytes, { source, ...(mediaType ? { mediaType } : {}) });
    return {
      parsed,
      descriptor: { mediaType: mediaTypeOf(parsed), digest: ref as Digest, size: bytes.length },
    };
  }
  const fetched = await client.getManifest(repository, ref);
  const parsed = parseManifest(fetched.bytes, { source, mediaType: fetched.mediaType });
  await store.put(fetched.bytes, { digest: fetched.digest, size: fetched.bytes.length });
  return {
    parsed,
    descriptor: { mediaType: mediaTypeOf(parsed), digest: fetched.digest, size: fetched.bytes.length },
  };
}

interface BlobOutcome {
  readonly fetched: boolean;
  readonly size: number;
}

async function storeBlob(
  client: RegistryClient,
  repository: string,
  d: Descriptor,
  store: ImageStore,
): Promise<BlobOutcome> {
  if (await store.has(d.digest)) return { fetched: false, size: d.size };
  await client.retrying(`download of blob ${d.digest}`, async () => {
    const stream = await client.fetchBlob(repository, d.digest, d.size);
    await store.putStream(stream, { digest: d.digest, size: d.size });
  });
  return { fetched: true, size: d.size };
}

function mediaTypeOf(parsed: ParsedManifest): string {
  return parsed.kind === 'image' ? parsed.manifest.mediaType : parsed.index.mediaType;
}

function uniqueByDigest(ds: readonly Descriptor[]): Descriptor[] {
  const seen = new Set<string>();
  return ds.filter((d) => (seen.has(d.digest) ? false : (seen.add(d.digest), true)));
}
