/**
 * metadata-action's sanitisation, kept exactly: every run of characters outside `[A-Za-z0-9._-]` becomes one `-`.
 * Case is kept, nothing is truncated and a leading `-` or `.` stays (upstream does the same).
 */
export function sanitizeTag(tag: string): string {
  return tag.replace(/[^a-zA-Z0-9._-]+/g, '-');
}

/** Image names are lower-cased and otherwise left alone (the registry module validates references). */
export function sanitizeImageName(name: string): string {
  return name.toLowerCase();
}

/** Short form of a commit sha; the whole sha when it is not longer than `length`. */
export function shortSha(sha: string, length: number): string {
  return length >= sha.length ? sha : sha.substring(0, length);
}
