/**
 * The builder leaves out of the store the layers no step needed to unpack (base layers under config-only steps,
 * cross-run cache hits). A push or an export needs every blob locally: this fetches the missing ones from where
 * they came from — the cross-run cache, else the base image's registry.
 */
import type { LayerCache } from '../build/layer-cache.js';
import type { BuildResult } from '../build/types.js';
import { InternalError } from '../errors.js';
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
  readonly cache?: LayerCache;
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
    if (await fetchFromCache(result, d, sources)) continue;
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

async function fetchFromCache(
  result: BuildResult,
  d: Descriptor,
  sources: CompletionSources,
): Promise<boolean> {
  const step = result.steps.find((s) => s.layer?.digest === d.digest && s.layer.cacheSource === 'cache');
  if (!step?.key || !sources.cache) return false;
  const cached = await sources.cache.lookup(step.key);
  if (!cached) return false;
  try {
    await sources.cache.fetchLayer(cached, sources.store);
    return true;
  } catch (err) {
    sources.logger.debug(`the cache could not deliver ${d.digest}: ${(err as Error).message}`);
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
