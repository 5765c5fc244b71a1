import type { BuildContext } from '../context/build-context.js';
import type { Dockerfile } from '../dockerfile/index.js';
import type { Clock, Logger } from '../log.js';
import type { Digest } from '../oci/digest.js';
import type { Image } from '../oci/image.js';
import type { LayerCompression } from '../oci/media-types.js';
import type { Descriptor, Platform } from '../oci/types.js';
import type { KeyChange, KeyInputs } from '../plan/cache-key.js';
import type { RegistryClient } from '../registry/client.js';
import type { ImageStore } from '../store/types.js';
import type { Privilege } from './rootfs/privilege.js';
import type { LayerCache } from './layer-cache.js';

/** Where a build secret comes from (`--secret id=…,src=…|env=…`). */
export type SecretSource =
  { readonly kind: 'file'; readonly path: string } | { readonly kind: 'value'; readonly value: string };

/** What to build. */
export interface BuildRequest {
  readonly dockerfile: Dockerfile;
  readonly context: BuildContext;
  readonly target?: string;
  readonly buildArgs: Readonly<Record<string, string>>;
  readonly platform: Platform;
  readonly secrets: ReadonlyMap<string, SecretSource>;
  /** Labels added to the target stage's config (e.g. the computed OCI labels). */
  readonly labels: Readonly<Record<string, string>>;
  /** Manifest annotations. */
  readonly annotations: Readonly<Record<string, string>>;
  /** Seconds; sets history/config times and clamps file times, for reproducible digests. */
  readonly sourceDateEpoch?: number;
  /** Build every step again, ignoring cached ones. */
  readonly noCache: boolean;
  /** Resolve base image tags at the registry even when a local copy exists. */
  readonly pull: boolean;
  readonly compression: LayerCompression;
  /** Step keys whose cross-run cached layers must not be used (they could not be delivered): built instead. */
  readonly avoidCacheKeys?: ReadonlySet<Digest>;
}

/** The machine a build runs on. */
export interface BuildHost {
  /** A directory of our own: unpacked layers, step cache, cache mounts, temp files. */
  readonly workRoot: string;
  readonly store: ImageStore;
  /** A client for a registry host (`docker.io`, `ghcr.io`, `127.0.0.1:5000`), memoised by the caller. */
  readonly registry: (registry: string) => RegistryClient;
  readonly privilege: Privilege;
  /** PATH for the host tools (tar, unshare, perl, mount). */
  readonly hostEnv: Readonly<Record<string, string>>;
  /** The host's resolv.conf (copied into RUN steps). */
  readonly resolvConf: string;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly signal?: AbortSignal;
  /** Cross-run layer cache (GitHub cache, local dir, registry); optional. */
  readonly cache?: LayerCache;
  readonly onStep?: (event: StepEvent) => void;
}

export type StepStatus = 'cached' | 'built' | 'config';

/** Why a step was not taken from the cache. */
export type MissReason =
  | { readonly kind: 'no-cache' }
  | { readonly kind: 'first-build' }
  | { readonly kind: 'parent-changed' }
  | { readonly kind: 'inputs-changed'; readonly changes: readonly KeyChange[] };

export interface StepReport {
  readonly id: string;
  readonly stage: string;
  /** The instruction as written (one line). */
  readonly instruction: string;
  readonly line: number;
  readonly status: StepStatus;
  readonly key?: Digest;
  readonly inputs?: KeyInputs;
  readonly reason?: MissReason;
  readonly durationMs: number;
  readonly layer?: {
    readonly digest: Digest;
    readonly diffId: Digest;
    readonly size: number;
    readonly cacheSource?: 'local' | 'cache';
  };
}

export type StepEvent =
  | { readonly kind: 'start'; readonly id: string; readonly title: string }
  | { readonly kind: 'output'; readonly id: string; readonly text: string }
  | { readonly kind: 'end'; readonly report: StepReport };

export interface BuildResult {
  readonly image: Image;
  readonly steps: readonly StepReport[];
  readonly warnings: readonly string[];
  /** Base images used, by reference as written → resolved digest. */
  readonly bases: ReadonlyMap<string, Digest>;
  /**
   * Layers of cache hits are downloaded only when needed, so the image's blobs may not all be in the store:
   * this brings one in (from the layer cache or the base image's registry). Give it to `pushImage` as
   * `fetchMissing`; call it for every missing blob before exporting the image.
   */
  readonly fetchMissing: (blob: Descriptor) => Promise<void>;
}
