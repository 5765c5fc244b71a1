import type { Clock, Logger } from '../log.js';
import type { Platform } from '../oci/types.js';
import type { Privilege } from '../build/rootfs/privilege.js';
import type { RegistryClient } from '../registry/client.js';
import type { BlobStore } from '../store/types.js';
import type { CacheStore } from './cache-store.js';

export type CacheBackendKind = 'gha' | 'local' | 'registry';

/** What a cache scope is made of: one index per (git ref, platform, Dockerfile). */
export interface ScopeFacts {
  /** The ref the build runs for: `refs/heads/main`, `refs/pull/12/merge`, `refs/tags/v1.0.0`. */
  readonly ref: string;
  /** The default branch's ref; restore falls back to its index when this ref has none yet. */
  readonly defaultRef?: string;
  readonly platform: Platform;
  /** The Dockerfile's path as the user gave it (relative to the repository or the context). */
  readonly dockerfile: string;
}

/** Makes the index key of this run unique (GitHub cache keys are immutable). */
export interface RunFacts {
  readonly id: string;
  readonly attempt: number;
}

export type BackendOptions =
  /** GitHub's cache service, through the action's @actions/cache store (src/action/gha-cache-store.ts). */
  | { readonly kind: 'gha'; readonly store: CacheStore }
  /** A directory (a persistent disk on a self-hosted runner, the CLI's --cache-dir). */
  | { readonly kind: 'local'; readonly dir: string }
  /** A registry repository holding the cache as an OCI artifact, tagged per scope. */
  | {
      readonly kind: 'registry';
      readonly client: RegistryClient;
      /** The cache repository on the client's registry, e.g. `team/app-cache`. */
      readonly repository: string;
      /** Repositories of that registry that may hold the layers already (the image's): mounted, not uploaded. */
      readonly mountFrom?: readonly string[];
      /** Tags are `<tagPrefix>-<scope>` (default `image-build-cache`; e.g. the tag of `cache-ref`). */
      readonly tagPrefix?: string;
    };

export interface CacheOptions {
  readonly backend: BackendOptions;
  readonly scope: ScopeFacts;
  readonly run: RunFacts;
  /** The local content store the build writes to: new layers are saved from it, cached ones fetched into it. */
  readonly store: BlobStore;
  /** The builder's work root; `<workRoot>/cache-io` stages entries and must be the same path on every run. */
  readonly workRoot: string;
  /** Layer bytes kept per scope (least recently used packs are dropped first). */
  readonly budgetBytes?: number;
  /** Cache-mount snapshot bytes kept per scope. */
  readonly mountBudgetBytes?: number;
  /** Largest pack (gha/local); bigger sets of new layers are split. */
  readonly packMaxBytes?: number;
  /** Restore only, never save (fork pull requests, read-only tokens). */
  readonly readOnly?: boolean;
  /** Why the cache is read-only, for the summary. */
  readonly readOnlyReason?: string;
  /** Runs tar/find as root for cache-mount snapshots (their files belong to the build's users). */
  readonly privilege: Privilege;
  readonly hostEnv: Readonly<Record<string, string>>;
  readonly logger: Logger;
  readonly clock: Clock;
}

export const defaultBudgetBytes = 2 * 1024 ** 3;
export const defaultMountBudgetBytes = 1024 ** 3;
export const defaultPackMaxBytes = 1024 ** 3;

/** Whether this run may write to the cache, and if not, why. */
export type CacheAccess =
  { readonly kind: 'read-write' } | { readonly kind: 'read-only'; readonly reason: string };

export interface TransferTotals {
  readonly entries: number;
  readonly bytes: number;
}

/** What the cache did in this run: for the job summary and the JSON metadata. */
export interface CacheReport {
  readonly backend: CacheBackendKind;
  readonly scope: string;
  /** The index the build started from: this scope's, the default branch's, or none (a cold cache). */
  readonly index:
    | { readonly kind: 'none' }
    | { readonly kind: 'restored'; readonly key: string; readonly from: 'scope' | 'default-branch' };
  /** Steps looked up in the cross-run cache (those the machine's own step cache did not have), by key. */
  readonly lookups: { readonly hits: number; readonly misses: number };
  /** Packs, blobs and mount snapshots downloaded. */
  readonly restored: TransferTotals;
  /** Entries (or blobs) written by save, and their keys. */
  readonly saved: TransferTotals & { readonly keys: readonly string[] };
  /** Blobs the registry backend mounted from the image repositories instead of uploading. */
  readonly mounted: TransferTotals;
  /** Packs and snapshots the budget dropped from the index. */
  readonly pruned: TransferTotals;
  /** Layer bytes the saved index references (≤ the budget). */
  readonly sizeBytes: number;
  readonly access: CacheAccess;
  readonly warnings: readonly string[];
}
