import type { BuildEnv } from '../dockerfile/index.js';
import type { Digest } from '../oci/digest.js';
import type { ImageDraft } from '../oci/image-draft.js';
import type { BuildPlan, StagePlan } from '../plan/stage-graph.js';
import type { BaseImages } from './base-images.js';
import type { CachedStep } from './layer-cache.js';
import type { LayerDirs } from './layer-dirs.js';
import type { SandboxHost } from './rootfs/sandbox.js';
import type { StepCache } from './step-cache.js';
import type { BuildHost, BuildRequest, StepReport } from './types.js';

/** Everything a build's steps share. */
export interface BuildSession {
  readonly req: BuildRequest;
  readonly host: BuildHost;
  readonly plan: BuildPlan;
  readonly layerDirs: LayerDirs;
  readonly stepCache: StepCache;
  readonly bases: BaseImages;
  readonly sandbox: SandboxHost;
  /** This build's private temp directory (removed at the end). */
  readonly tmp: string;
  /** Files bind-mounted into RUN steps. */
  readonly hostsFile: string;
  readonly resolvConfFile: string;
  /** Finished stages by index. */
  readonly stages: Map<number, StageState>;
  readonly reports: StepReport[];
  readonly warnings: string[];
  /** Layers of steps found in the cross-run cache, fetched from it only when their files are needed. */
  readonly remoteLayers: Map<Digest, CachedStep>;
  /** Step keys whose cross-run cached layer turned out unusable in an earlier attempt: built instead. */
  readonly badKeys: ReadonlySet<Digest>;
}

/** A stage being built, as an immutable value: each step returns the next state. */
export interface StageState {
  readonly plan: StagePlan;
  /** Config, history and layers of the image so far. */
  readonly draft: ImageDraft;
  readonly env: BuildEnv;
  /** The current WORKDIR (absolute, cleaned). */
  readonly workdir: string;
  readonly shell: readonly string[];
  /** Cache key of the filesystem so far (FROM's, then each filesystem step's). */
  readonly chainKey: Digest;
  /** A CMD was given in this stage (ENTRYPOINT then keeps it). */
  readonly cmdSet: boolean;
  /** Timestamp of the newest history entry (history `created` of config-only steps). */
  readonly lastCreated: string | undefined;
}

/** Where a step is, for reports, logs and cache-miss explanations. */
export interface StepInfo {
  readonly id: string;
  readonly stage: string;
  readonly instruction: string;
  readonly line: number;
  /** Identifies the step's position across builds (Dockerfile, stage, ordinal, kind). */
  readonly slot: string;
  readonly started: number;
}
