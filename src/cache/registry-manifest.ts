import { CacheError } from '../errors.js';
import { isDigest } from '../oci/digest.js';
import { MediaType } from '../oci/media-types.js';
import type { Descriptor } from '../oci/types.js';

/** Media type of a cache-mount snapshot layer in the cache artifact (a gzip'd tar of the mount directory). */
export const mountMediaType = 'application/vnd.image-build.cache.mount.v1.tar+gzip';

/**
 * The registry cache artifact: an OCI image manifest with an `artifactType`, the scope's index as its config
 * and every cached layer and mount snapshot as a layer (so the registry keeps them while the tag exists).
 */
export const cacheManifest = {
  artifactType: 'application/vnd.image-build.cache.v1',
  configMediaType: 'application/vnd.image-build.cache.index.v1+json',
  build(config: Descriptor, layers: readonly Descriptor[]): object {
    return {
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      artifactType: cacheManifest.artifactType,
      config: { mediaType: config.mediaType, digest: config.digest, size: config.size },
      layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size })),
    };
  },
};

/** The index (config) descriptor of a cache artifact manifest; CacheError when it is not one of ours. */
export function indexOfManifest(bytes: Buffer, source: string): Descriptor {
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new CacheError(`${source} is not a JSON manifest`);
  }
  const config = (raw as { config?: Partial<Descriptor> } | null)?.config;
  if (
    (raw as { artifactType?: unknown }).artifactType !== cacheManifest.artifactType ||
    !config ||
    config.mediaType !== cacheManifest.configMediaType ||
    typeof config.digest !== 'string' ||
    !isDigest(config.digest) ||
    typeof config.size !== 'number'
  ) {
    throw new CacheError(`${source} is not an image-build cache`, {
      hint: 'point the registry cache at a repository (or tag) that only image-build writes to',
    });
  }
  return { mediaType: config.mediaType, digest: config.digest, size: config.size };
}
