import type { PushResult } from '../push/index.js';

/** `sha256:… (2 uploaded, 1 mounted, 3 already there)` for a push's progress line. */
export function pushSummary(result: PushResult): string {
  const { uploaded, mounted, exists } = result.blobs;
  const parts = [
    `${uploaded.count} uploaded`,
    ...(mounted.count > 0 ? [`${mounted.count} mounted`] : []),
    `${exists.count} already there`,
  ];
  return `${result.digest} (blobs: ${parts.join(', ')})`;
}
