import type { StepReport } from '../build/types.js';
import type { BaseDigests } from '../cache/index.js';
import type { Image } from '../oci/image.js';
import type { BlobStats, TagOutcome } from '../push/types.js';
import type { Metadata } from '../tags/types.js';

/** What happened to one tag (or by-digest target) of the push. */
export interface PushedTarget {
  /** Full reference as pushed: `ghcr.io/owner/app:1.2.3`. */
  readonly reference: string;
  readonly outcome: TagOutcome;
}

/** Whether the image went to a registry, and if not, why not (said in the summary). */
export type Publication =
  | { readonly kind: 'pushed'; readonly targets: readonly PushedTarget[]; readonly blobs: BlobStats }
  | { readonly kind: 'not-pushed'; readonly reason: string };

/** The cross-run layer cache of this run, as the report shows it. */
export type CacheFacts =
  | { readonly kind: 'off'; readonly reason: string }
  | {
      readonly kind: 'on';
      /** `gha`, `local`, `registry`. */
      readonly backend: string;
      /** False when this run may only read the cache (fork pull requests, read-only tokens). */
      readonly writable: boolean;
      readonly note?: string;
    };

/** An extra export the run wrote (`outputs` input). */
export interface ExportFact {
  readonly kind: 'oci' | 'oci-archive' | 'docker';
  readonly path: string;
}

/** Everything a run produced, for outputs, the metadata JSON, the job summary and the PR comment. */
export interface RunReport {
  /** What triggered the run, in words: `push to main`, `pull request #15 from a fork`. */
  readonly trigger: string;
  readonly image: Image;
  readonly steps: readonly StepReport[];
  readonly metadata: Metadata;
  readonly publication: Publication;
  readonly cache: CacheFacts;
  readonly exports: readonly ExportFact[];
  /** Warnings worth repeating in the summary (tag engine, builder). */
  readonly warnings: readonly string[];
  /** Base images of this build and of the previous one in the cache scope: explains a changed base. */
  readonly bases?: BaseDigests;
}
