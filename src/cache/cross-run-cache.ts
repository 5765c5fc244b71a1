import type { LayerCache } from '../build/layer-cache.js';
import type { Digest } from '../oci/digest.js';
import type { Descriptor } from '../oci/types.js';
import type { BlobStore } from '../store/types.js';
import type { CacheBackendKind, CacheReport } from './types.js';

/**
 * The cross-run layer cache of one build: what `openCache` returns. The builder uses it as its `LayerCache`;
 * the caller fetches the image's remaining layers through it before a push, then saves (the action: in its
 * post step, after `suspend` in main and `resumeCache` in post).
 */
export interface CrossRunCache extends LayerCache {
  readonly backend: CacheBackendKind;
  openCacheMount(id: string, dir: string): Promise<void>;
  /**
   * Copies a layer blob the cache holds into the store (verified). False when the cache does not hold it;
   * throws CacheError when it should but cannot deliver it (corrupt, truncated, evicted).
   */
  fetchBlob(descriptor: Descriptor, into: BlobStore): Promise<boolean>;
  /** Notes the finished build's base images (a later build explains a changed base with them). */
  noteBuild(build: { readonly bases: ReadonlyMap<string, Digest> }): void;
  /** The base images of the previous build in this scope (reference as written → digest). */
  previousBases(): ReadonlyMap<string, Digest>;
  /** Writes what this run used and restored to `file`, for `resumeCache` in another process. */
  suspend(file: string): Promise<void>;
  /** Saves what the build used: new packs, changed cache mounts, the index. Never throws. */
  save(): Promise<CacheReport>;
  report(): CacheReport;
}
