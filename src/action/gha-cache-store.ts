/**
 * The `gha` cache backend's storage: GitHub's cache service through @actions/cache (the only code that uses
 * it). Each entry kind is staged in one fixed directory under `<workRoot>/cache-io/`, because @actions/cache
 * salts an entry's version with its path list: save and restore must pass identical paths.
 */
import * as cache from '@actions/cache';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { CacheStore, EntryInfo, EntryKind, RestoredEntry, SaveOutcome } from '../cache/cache-store.js';
import { treeBytes } from '../cache/local-cache-store.js';
import { CacheError, describeError } from '../errors.js';
import type { Logger } from '../log.js';
import { captureOutput, CapturedCallError } from './gha-cache-output.js';
import { classifySaveError, classifySaveLines, type SaveFailure } from './gha-cache-errors.js';

export interface GhaCacheStoreOptions {
  /** `<workRoot>/cache-io`: the same absolute path on every run. */
  readonly ioRoot: string;
  readonly logger: Logger;
  /** The runner's ACTIONS_CACHE_MODE ('' when unset): `read`/`none` mean the token cannot write. */
  readonly cacheMode?: string;
  /** Waits (tests pass a recorder). */
  readonly sleep?: (ms: number) => Promise<void>;
  /** The longest Retry-After honoured, once per run (default 60 s); longer waits give up at once. */
  readonly maxRetryAfterMs?: number;
}

export class GhaCacheStore implements CacheStore {
  readonly kind = 'gha';
  private waited = false;

  constructor(private readonly o: GhaCacheStoreOptions) {}

  /** Whether the runner offers the cache service at all (ACTIONS_RESULTS_URL / ACTIONS_CACHE_URL set). */
  static available(): boolean {
    return cache.isFeatureAvailable();
  }

  /** Why this run can only restore, when the runner says so before anything is tried. */
  readOnlyReason(): string | undefined {
    const mode = (this.o.cacheMode ?? '').trim().toLowerCase();
    if (mode === 'read' || mode === 'none')
      return `the runner's cache mode is '${mode}': this trigger gets a read-only cache token`;
    return undefined;
  }

  dirFor(kind: EntryKind): string {
    return join(this.o.ioRoot, kind);
  }

  async restore(
    kind: EntryKind,
    key: string,
    prefixes: readonly string[] = [],
  ): Promise<RestoredEntry | undefined> {
    const dir = await this.prepare(kind);
    let hit: string | undefined;
    try {
      const { result, lines } = await captureOutput(() => cache.restoreCache([dir], key, [...prefixes]));
      hit = result;
      // @actions/cache logs a failed restore and returns a miss: tell the two apart
      const failure = restoreFailure(lines);
      if (hit === undefined && failure !== undefined) throw new Error(failure);
    } catch (err) {
      const original = err instanceof CapturedCallError ? err.original : err;
      throw new CacheError(`GitHub cache restore of ${key} failed: ${describeError(original)}`);
    }
    if (hit === undefined) return undefined;
    return { key: hit, dir, bytes: await treeBytes(dir).catch(() => 0) };
  }

  async has(kind: EntryKind, key: string): Promise<boolean> {
    try {
      const { result, lines } = await captureOutput(() =>
        cache.restoreCache([this.dirFor(kind)], key, [], { lookupOnly: true }),
      );
      const failure = restoreFailure(lines);
      if (failure !== undefined) this.o.logger.debug(`GitHub cache lookup of ${key} failed: ${failure}`);
      return result === key;
    } catch (err) {
      this.o.logger.debug(`GitHub cache lookup of ${key} failed: ${describeError(err)}`);
      return false;
    }
  }

  async prepare(kind: EntryKind): Promise<string> {
    const dir = this.dirFor(kind);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    return dir;
  }

  async save(kind: EntryKind, key: string, dir: string): Promise<SaveOutcome> {
    if (dir !== this.dirFor(kind))
      return { kind: 'failed', message: `entry ${key} must be staged in ${this.dirFor(kind)}, not ${dir}` };
    const readOnly = this.readOnlyReason();
    if (readOnly !== undefined) return { kind: 'read-only', reason: readOnly };
    const bytes = await treeBytes(dir).catch(() => 0);
    let failure = await this.saveOnce(dir, key);
    if (failure?.kind === 'rate-limited' && this.mayWait(failure.retryAfterSeconds)) {
      this.waited = true;
      this.o.logger.info(
        `GitHub cache rate limit: waiting ${failure.retryAfterSeconds} s, then saving ${key} again`,
      );
      await (this.o.sleep ?? defaultSleep)(failure.retryAfterSeconds! * 1000);
      failure = await this.saveOnce(dir, key);
    }
    if (failure === undefined) return { kind: 'saved', bytes };
    if (failure.kind !== 'reserved-elsewhere') return failure;
    // A parallel job won the reservation: the same content-addressed entry exists, or will; check once.
    return (await this.has(kind, key)) ? { kind: 'exists' } : { kind: 'failed', message: failure.message };
  }

  async remove(keys: readonly string[]): Promise<void> {
    if (keys.length > 0) this.o.logger.debug(`GitHub cache entries age out on their own: ${keys.join(', ')}`);
  }

  async list(): Promise<readonly EntryInfo[] | undefined> {
    return undefined;
  }

  /** One @actions/cache save; undefined when it saved, else what went wrong. */
  private async saveOnce(dir: string, key: string): Promise<SaveFailure | undefined> {
    try {
      const { result, lines } = await captureOutput(() => cache.saveCache([dir], key));
      return result >= 0 ? undefined : classifySaveLines(lines);
    } catch (err) {
      const e = err instanceof CapturedCallError ? err : new CapturedCallError(err, []);
      return classifySaveError(e.original, e.lines);
    }
  }

  private mayWait(seconds: number | undefined): seconds is number {
    return !this.waited && seconds !== undefined && seconds * 1000 <= (this.o.maxRetryAfterMs ?? 60_000);
  }
}

/** What @actions/cache logged when a restore failed (`Failed to restore: …`), if it did. */
function restoreFailure(lines: readonly string[]): string | undefined {
  for (const line of lines) {
    const m = /^(?:::(?:warning|error)[^:]*::)?Failed to restore: (.*)$/.exec(line);
    if (m) return m[1];
  }
  return undefined;
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
