/**
 * The storage under the gha and local backends: named, immutable entries, each a directory of files.
 * GitHub's cache salts an entry's version with the paths it was saved from, so an entry kind is always staged
 * in the same directory (`dirFor(kind)`), on save and on restore.
 */

/** What an entry holds: the scope's index, a pack of layer blobs, or a cache-mount snapshot. */
export type EntryKind = 'index' | 'pack' | 'mount';

export interface RestoredEntry {
  readonly key: string;
  /** The entry's files; valid until the next restore or prepare of that kind. */
  readonly dir: string;
  readonly bytes: number;
}

export type SaveOutcome =
  | { readonly kind: 'saved'; readonly bytes: number }
  /** An entry with this key exists already (an earlier run, or a parallel job that won the reservation). */
  | { readonly kind: 'exists' }
  /** The token cannot write (read-only cache, fork pull request): restore only from now on. */
  | { readonly kind: 'read-only'; readonly reason: string }
  /** Too many new entries (GitHub: 200 a minute per repository); nothing more is saved in this run. */
  | { readonly kind: 'rate-limited'; readonly retryAfterSeconds?: number }
  | { readonly kind: 'failed'; readonly message: string };

export interface CacheStore {
  readonly kind: 'gha' | 'local';
  /**
   * Restores the entry `key`, or else the newest entry whose key starts with one of `prefixes` (tried in
   * order). Undefined when none exists. Throws CacheError when the store cannot be read.
   */
  restore(kind: EntryKind, key: string, prefixes?: readonly string[]): Promise<RestoredEntry | undefined>;
  /** Whether an entry with exactly this key exists (without downloading it). */
  has(kind: EntryKind, key: string): Promise<boolean>;
  /** An empty directory to fill with the files of a new entry of this kind. */
  prepare(kind: EntryKind): Promise<string>;
  /** Saves the prepared directory under `key`. Never throws: every failure is an outcome. */
  save(kind: EntryKind, key: string, dir: string): Promise<SaveOutcome>;
  /** Deletes entries (local); GitHub's entries cannot be deleted by a run and age out after 7 days unused. */
  remove(keys: readonly string[]): Promise<void>;
  /** The entries present (local); undefined when the store cannot list them (gha). */
  list(): Promise<readonly EntryInfo[] | undefined>;
}

export interface EntryInfo {
  readonly key: string;
  /** Milliseconds since the epoch. */
  readonly savedAt: number;
  readonly bytes: number;
}
