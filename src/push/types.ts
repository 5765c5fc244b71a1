import type { Digest } from '../oci/digest.js';
import type { Reference } from '../registry/reference.js';

/** What happened to one blob in one repository. */
export type BlobOutcome = 'exists' | 'mounted' | 'uploaded';

/** What happened to a tag (or a by-digest target): stored now, or already pointing at the digest. */
export type TagOutcome = 'pushed' | 'unchanged';

export interface TransferCount {
  readonly count: number;
  readonly bytes: number;
}

export type BlobStats = Readonly<Record<BlobOutcome, TransferCount>>;

export type PushProgress =
  | {
      readonly kind: 'blob';
      readonly repository: string;
      readonly digest: Digest;
      readonly size: number;
      readonly outcome: BlobOutcome;
    }
  | {
      readonly kind: 'manifest';
      readonly repository: string;
      readonly digest: Digest;
      readonly outcome: TagOutcome;
    }
  | {
      readonly kind: 'tag';
      readonly reference: Reference;
      readonly digest: Digest;
      readonly outcome: TagOutcome;
    };

export interface TargetPushResult {
  readonly reference: Reference;
  /** The digest the target now points at (the pushed image's). */
  readonly digest: Digest;
  readonly outcome: TagOutcome;
  /** The blobs of the target's repository (shared by targets in the same repository). */
  readonly blobs: BlobStats;
}

export interface PushResult {
  readonly digest: Digest;
  readonly mediaType: string;
  readonly size: number;
  readonly targets: readonly TargetPushResult[];
  /** Blob transfers over all repositories. */
  readonly blobs: BlobStats;
}

export function emptyStats(): BlobStats {
  return {
    exists: { count: 0, bytes: 0 },
    mounted: { count: 0, bytes: 0 },
    uploaded: { count: 0, bytes: 0 },
  };
}

export function addToStats(stats: BlobStats, outcome: BlobOutcome, bytes: number): BlobStats {
  const cur = stats[outcome];
  return { ...stats, [outcome]: { count: cur.count + 1, bytes: cur.bytes + bytes } };
}

export function sumStats(a: BlobStats, b: BlobStats): BlobStats {
  const add = (k: BlobOutcome): TransferCount => ({
    count: a[k].count + b[k].count,
    bytes: a[k].bytes + b[k].bytes,
  });
  return { exists: add('exists'), mounted: add('mounted'), uploaded: add('uploaded') };
}
