import type { Descriptor } from '../oci/types.js';
import type { RegistryClient } from '../registry/client.js';
import type { BlobStore } from '../store/types.js';
import type { CrossRunCache } from './cross-run-cache.js';

/** What a push needs of layers the build reused from the cache without downloading them (lazy restore). */
export interface PushLayerPlan {
  /** Downloaded from the cache into the store. */
  readonly fetched: readonly Descriptor[];
  /** Already in every target repository: the push finds them there and needs no download. */
  readonly remote: readonly Descriptor[];
  /** In neither the store, the targets nor the cache: the push cannot send them. */
  readonly missing: readonly Descriptor[];
}

export interface PushLayerOptions {
  readonly layers: readonly Descriptor[];
  readonly store: BlobStore;
  readonly cache?: CrossRunCache;
  /** The push targets: a layer every target repository has is not downloaded. */
  readonly targets?: { readonly client: RegistryClient; readonly repositories: readonly string[] };
}

/**
 * Makes the image's layers pushable: a layer missing from the store is left alone when every target
 * repository already has it, else fetched from the cache (verified). A cache that cannot deliver a layer
 * throws CacheError; a layer nobody has is listed as missing.
 */
export async function ensureLayersForPush(o: PushLayerOptions): Promise<PushLayerPlan> {
  const fetched: Descriptor[] = [];
  const remote: Descriptor[] = [];
  const missing: Descriptor[] = [];
  for (const layer of o.layers) {
    if (await o.store.has(layer.digest)) continue;
    if (o.targets && (await everyTargetHas(o.targets, layer))) remote.push(layer);
    else if (o.cache && (await o.cache.fetchBlob(layer, o.store))) fetched.push(layer);
    else missing.push(layer);
  }
  return { fetched, remote, missing };
}

async function everyTargetHas(
  t: NonNullable<PushLayerOptions['targets']>,
  layer: Descriptor,
): Promise<boolean> {
  if (t.repositories.length === 0) return false;
  for (const repo of t.repositories) {
    const has = await t.client.blobExists(repo, layer.digest, { push: true }).catch(() => false);
    if (!has) return false;
  }
  return true;
}
