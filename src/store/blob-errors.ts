import { InternalError } from '../errors.js';
import type { Digest } from '../oci/digest.js';

/**
 * Content did not match what the writer promised: nothing was stored. Callers that fetched the content (a
 * registry pull) catch this to report the source; `expected`/`actual` carry the facts.
 */
export class BlobMismatchError extends InternalError {
  constructor(
    readonly expected: { readonly digest: Digest; readonly size?: number },
    readonly actual: { readonly digest?: Digest; readonly size: number },
  ) {
    super(describeMismatch(expected, actual), {
      hint: 'the content was corrupted or truncated in transit; retry, and if it persists the source is broken',
    });
  }
}

/** A blob the caller asked for is not in the store. */
export class BlobNotFoundError extends InternalError {
  constructor(
    readonly digest: Digest,
    readonly root: string,
  ) {
    super(`blob ${digest} is not in the image store ${root}`, {
      hint: 'the store is incomplete (interrupted pull or removed files); pull or build the image again',
    });
  }
}

function describeMismatch(
  expected: { readonly digest: Digest; readonly size?: number },
  actual: { readonly digest?: Digest; readonly size: number },
): string {
  if (expected.size !== undefined && actual.size !== expected.size) {
    return `blob ${expected.digest} has the wrong size: expected ${expected.size} bytes, got ${actual.size}${
      actual.digest === undefined ? ' or more' : ''
    }`;
  }
  return `blob content does not match its digest: expected ${expected.digest}, got ${actual.digest ?? '?'}`;
}
