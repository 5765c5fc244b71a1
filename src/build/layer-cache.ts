import type { Digest } from '../oci/digest.js';
import type { Descriptor } from '../oci/types.js';
import type { KeyInputs } from '../plan/cache-key.js';
import type { BlobStore } from '../store/types.js';

/** A step result the cache can hand back: its layer and the inputs that keyed it (for explanations). */
export interface CachedStep {
  readonly key: Digest;
  readonly inputs: KeyInputs;
  readonly layer: { readonly diffId: Digest; readonly descriptor: Descriptor };
  /** When the layer was first made (history `created` when no SOURCE_DATE_EPOCH is set). */
  readonly created: string;
}

/**
 * The cross-run layer cache seen by the builder. Lookups are answered from a small index restored before the
 * build; layer blobs are fetched only when a step actually needs the files (lazy restore).
 */
export interface LayerCache {
  lookup(key: Digest): Promise<CachedStep | undefined>;
  /** The inputs this step slot had last time (for explaining a miss), if known. */
  previousInputs(slot: string): Promise<KeyInputs | undefined>;
  /**
   * Copies a cached layer blob into the store; throws CacheError when it cannot (the step is then rebuilt). The
   * cache warns about a broken entry itself, once; the builder only notes the rebuild at debug level.
   */
  fetchLayer(step: CachedStep, into: BlobStore): Promise<void>;
  /** Records a step this build produced (or reused) so it can be saved. */
  record(step: CachedStep, slot: string): void;
  /**
   * Called before a RUN first uses the cache mount `id`, whose host directory is `dir` (it may not exist yet):
   * the cache restores the mount's saved contents into it and keeps it for saving. Errors are warnings.
   */
  openCacheMount?(id: string, dir: string): Promise<void>;
}
