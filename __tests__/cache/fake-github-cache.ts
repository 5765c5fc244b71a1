/**
 * GitHub's cache service as @actions/cache presents it, for tests at that API boundary (the service cannot be
 * reached from here). Entries are immutable and versioned by their path list; `restoreKeys` are prefixes,
 * newest first; a save of an existing key fails the reservation. Failures are logged the way @actions/cache
 * 6.3 logs them — through the real @actions/core — and the save returns -1; hooks inject them per call.
 */
import * as core from '@actions/core';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

export class ValidationError extends Error {
  override name = 'ValidationError';
}
export class ReserveCacheError extends Error {
  override name = 'ReserveCacheError';
}
export class CacheWriteDeniedError extends ReserveCacheError {
  override name = 'CacheWriteDeniedError';
}

export interface Call {
  readonly fn: 'restore' | 'lookup' | 'save';
  readonly paths: readonly string[];
  readonly key: string;
  readonly restoreKeys?: readonly string[];
}

interface Entry {
  readonly version: string;
  readonly files: Map<string, Buffer>;
  readonly seq: number;
}

/** What the next save does instead of saving: throw, or log like the library and return -1. */
export type SaveHook = (key: string, paths: readonly string[]) => number | undefined;

export class FakeGitHubCache {
  readonly entries = new Map<string, Entry>();
  readonly calls: Call[] = [];
  readonly saveHooks: SaveHook[] = [];
  restoreError: Error | undefined;
  available = true;
  private seq = 0;

  readonly module = {
    ValidationError,
    ReserveCacheError,
    CacheWriteDeniedError,
    isFeatureAvailable: () => this.available,
    restoreCache: (
      paths: string[],
      key: string,
      restoreKeys: string[] = [],
      options?: { lookupOnly?: boolean },
    ) => this.restore(paths, key, restoreKeys, options?.lookupOnly ?? false),
    saveCache: (paths: string[], key: string) => this.save(paths, key),
  };

  reset(): void {
    this.entries.clear();
    this.calls.length = 0;
    this.saveHooks.length = 0;
    this.restoreError = undefined;
    this.available = true;
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }

  private async restore(paths: string[], key: string, restoreKeys: string[], lookupOnly: boolean) {
    this.calls.push({
      fn: lookupOnly ? 'lookup' : 'restore',
      paths: [...paths],
      key,
      restoreKeys: [...restoreKeys],
    });
    if (this.restoreError) throw this.restoreError;
    const version = JSON.stringify(paths);
    const mine = [...this.entries].filter(([, e]) => e.version === version);
    let hit = mine.find(([k]) => k === key);
    for (const prefix of restoreKeys) {
      if (hit) break;
      hit = mine.filter(([k]) => k.startsWith(prefix)).sort((a, b) => b[1].seq - a[1].seq)[0];
    }
    if (!hit) return undefined;
    if (!lookupOnly)
      for (const [rel, data] of hit[1].files) {
        mkdirSync(dirname(join(paths[0]!, rel)), { recursive: true });
        writeFileSync(join(paths[0]!, rel), data);
      }
    return hit[0];
  }

  private async save(paths: string[], key: string): Promise<number> {
    this.calls.push({ fn: 'save', paths: [...paths], key });
    if (key.includes(',') || key.length > 512)
      throw new ValidationError(`Key Validation Error: ${key} is invalid`);
    const hook = this.saveHooks.shift();
    if (hook) {
      const r = hook(key, paths);
      if (r !== undefined) return r;
    }
    if (this.entries.has(key)) {
      core.info(
        `Failed to save: Unable to reserve cache with key ${key}, another job may be creating this cache.`,
      );
      return -1;
    }
    return this.put(paths, key);
  }

  /** Stores an entry (as a save that succeeded, here or in another job). */
  put(paths: readonly string[], key: string): number {
    const files = new Map<string, Buffer>();
    collect(paths[0]!, paths[0]!, files);
    this.entries.set(key, { version: JSON.stringify(paths), files, seq: ++this.seq });
    return this.seq;
  }
}

function collect(root: string, dir: string, out: Map<string, Buffer>): void {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) collect(root, p, out);
    else out.set(relative(root, p), readFileSync(p));
  }
}

/** Library-faithful failures for `saveHooks`. */
export const failures = {
  /** A 429 from CreateCacheEntry with Retry-After (cacheTwirpClient warns, saveCacheV2 logs the reservation). */
  rateLimited:
    (seconds: number): SaveHook =>
    (key) => {
      core.warning(`You've hit a rate limit, your rate limit will reset in ${seconds} seconds`);
      core.info(
        `Failed to save: Unable to reserve cache with key ${key}, another job may be creating this cache.`,
      );
      return -1;
    },
  /** A read-only token: the reservation is denied with the service's stable prefix. */
  writeDenied: (): SaveHook => (key) => {
    core.warning(
      `Failed to save: Unable to reserve cache with key ${key}. More details: cache write denied: the token for this run is read-only`,
    );
    return -1;
  },
  /** The service is down or unreachable. */
  network: (): SaveHook => () => {
    core.warning('Failed to save: Unable to make request: ECONNRESET');
    return -1;
  },
  /** Another job reserved the key (and, with `thenSaved`, saved it) meanwhile. */
  raced:
    (fake: FakeGitHubCache, thenSaved: boolean): SaveHook =>
    (key, paths) => {
      if (thenSaved) fake.put(paths, key);
      core.info(
        `Failed to save: Unable to reserve cache with key ${key}, another job may be creating this cache.`,
      );
      return -1;
    },
  throws:
    (err: Error): SaveHook =>
    () => {
      throw err;
    },
};
