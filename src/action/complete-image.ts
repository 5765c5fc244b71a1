/**
 * The builder leaves out of the store the layers no step needed to unpack (base layers under config-only steps,
 * cross-run cache hits). A push or an export needs every blob locally: this fetches the missing ones from where
 * they came from — the cross-run cache, else the base image's registry.
 */
import type { BuildResult } from '../build/types.js';
import type { CrossRunCache } from '../cache/index.js';
import { describeError, InternalError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Digest } from '../oci/digest.js';
import { parseImageManifest } from '../oci/manifest-codec.js';
import type { Descriptor } from '../oci/types.js';
import { parseReference, type Reference } from '../registry/reference.js';
import type { ImageStore } from '../store/types.js';
import type { RegistryClients } from './registry-clients.js';

export interface CompletionSources {
  readonly store: ImageStore;
  readonly clients: RegistryClients;
  readonly cache?: CrossRunCache;
  readonly logger: Logger;
}

/** Returns how many blobs were fetched. */
export async function completeImage(result: BuildResult, sources: CompletionSources): Promise<number> {
  const manifest = result.image.manifest;
  const missing: Descriptor[] = [];
  for (const d of [manifest.config, ...manifest.layers]) {
    const info = await sources.store.stat(d.digest);
    if (!info || info.size !== d.size) missing.push(d);
  }
  if (missing.length === 0) return 0;
  const origins = await baseLayerOrigins(result, sources.store);
  for (const d of missing) {
    if (await fetchFromCache(d, sources)) continue;
    const origin = origins.get(d.digest);
    if (!origin) {
      throw new InternalError(
        `layer ${d.digest} of the built image is neither stored nor known to any source`,
        {
          hint: 'run again with no-cache: true',
        },
      );
    }
    sources.logger.debug(
      `fetching ${d.digest} (${d.size} bytes) from ${origin.registry}/${origin.repository}`,
    );
    const stream = await sources.clients.get(origin.registry).fetchBlob(origin.repository, d.digest, d.size);
    await sources.store.putStream(stream, { digest: d.digest, size: d.size });
  }
  return missing.length;
}

/** A cache that holds the blob but cannot deliver it is a warning: the base registry may still have it. */
async function fetchFromCache(d: Descriptor, sources: CompletionSources): Promise<boolean> {
  if (!sources.cache) return false;
  try {
    return await sources.cache.fetchBlob(d, sources.store);
  } catch (err) {
    sources.logger.warn(`the cache could not deliver ${d.digest}: ${describeError(err)}`);
    return false;
  }
}

/** Layer digest → the base image reference it can be downloaded from. */
export async function baseLayerOrigins(
  result: BuildResult,
  store: ImageStore,
): Promise<Map<Digest, Reference>> {
  const origins = new Map<Digest, Reference>();
  for (const [ref, digest] of result.bases) {
    const reference = parseReference(ref);
    const manifest = parseImageManifest(await store.read(digest), { source: `manifest of ${ref}` });
    for (const layer of manifest.layers) if (!origins.has(layer.digest)) origins.set(layer.digest, reference);
  }
  return origins;
}
