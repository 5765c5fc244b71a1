import { BuildStepError, CacheError, describeError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Digest } from '../oci/digest.js';
import type { RegistryClient } from '../registry/client.js';
import type { BlobStore } from '../store/types.js';
import { buildImage } from './executor.js';
import type { BuildHost, BuildRequest, BuildResult } from './types.js';

/** A repository the image is about to be pushed to. */
export interface ShipTarget {
  readonly client: RegistryClient;
  readonly repository: string;
}

export interface ShipNeeds {
  /** An export (OCI layout, archive) needs every blob in the store. */
  readonly export: boolean;
  /** Repositories the image will be pushed to. */
  readonly pushTo: readonly ShipTarget[];
}

export interface ShipReadiness {
  /** Blobs downloaded into the store now. */
  readonly fetched: number;
  /**
   * Keys of steps whose cached layer the cache could not deliver (corrupt, truncated, evicted): build again
   * with them in `BuildRequest.avoidCacheKeys`, and the step is rebuilt instead.
   */
  readonly undeliverable: readonly Digest[];
}

/**
 * Gets a lazily built image ready for its exports and pushes. The builder leaves layers it never had to unpack
 * out of the store (cross-run cache hits, base layers under config-only steps). An export gets every one; a push
 * needs only the cache hits that are not already in every target repository — fetched now, so a broken cache
 * entry shows before anything is pushed (base layers are left to the push: mounted from their repository when
 * it is on the same registry, else downloaded by `pushImage` through `result.fetchMissing`).
 */
export async function readyToShip(
  result: BuildResult,
  store: BlobStore,
  needs: ShipNeeds,
  logger: Logger,
): Promise<ShipReadiness> {
  const cacheHits = new Map<Digest, Digest>();
  for (const s of result.steps)
    if (s.layer?.cacheSource === 'cache' && s.key) cacheHits.set(s.layer.digest, s.key);
  let fetched = 0;
  const undeliverable: Digest[] = [];
  for (const layer of result.image.manifest.layers) {
    if (await store.has(layer.digest)) continue;
    const key = cacheHits.get(layer.digest);
    if (!needs.export) {
      if (key === undefined || needs.pushTo.length === 0) continue;
      if (await everyTargetHas(needs.pushTo, layer.digest)) continue;
    }
    try {
      await result.fetchMissing(layer);
      fetched++;
    } catch (err) {
      if (!(err instanceof CacheError) || key === undefined) throw err;
      // the cache has warned about its broken entry already: once is enough
      logger.debug(
        `the layer cache could not deliver ${layer.digest} (${describeError(err)}); rebuilding that step`,
      );
      undeliverable.push(key);
    }
  }
  return { fetched, undeliverable };
}

async function everyTargetHas(targets: readonly ShipTarget[], digest: Digest): Promise<boolean> {
  for (const t of targets) {
    if (!(await t.client.blobExists(t.repository, digest, { push: true }).catch(() => false))) return false;
  }
  return true;
}

/**
 * Builds, then readies the image for shipping; when the cache could not deliver a cached layer, builds once more
 * with those steps rebuilt (everything built in between is in the local step cache, so this is quick).
 */
export async function buildReadyToShip(
  req: BuildRequest,
  host: BuildHost,
  needs: ShipNeeds,
): Promise<BuildResult> {
  let avoid = new Set<Digest>(req.avoidCacheKeys ?? []);
  for (let attempt = 0; ; attempt++) {
    const result = await buildImage({ ...req, avoidCacheKeys: avoid }, host);
    const ready = await readyToShip(result, host.store, needs, host.logger);
    if (ready.undeliverable.length === 0) return result;
    if (attempt >= 2)
      throw new BuildStepError('the layer cache keeps failing to deliver layers', {
        hint: 'build with no-cache',
      });
    avoid = new Set([...avoid, ...ready.undeliverable]);
  }
}
