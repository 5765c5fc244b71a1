import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CacheError, describeError } from '../errors.js';
import type { Clock } from '../log.js';
import type { CacheStore, EntryInfo, EntryKind, RestoredEntry, SaveOutcome } from './cache-store.js';

const metaFile = '.entry.json';
const keyPattern = /^[A-Za-z0-9._-]{1,512}$/;

/**
 * Cache entries in a directory: `entries/<key>/` holds an entry's files plus `.entry.json`. A save fills a
 * directory under `tmp/` and renames it into place, so an entry is complete or absent, and two processes
 * saving the same key cannot mix their files (the second rename fails: the entry exists). A restore hands out
 * the entry directory itself (nothing is copied).
 */
export class LocalCacheStore implements CacheStore {
  readonly kind = 'local';

  constructor(
    readonly root: string,
    private readonly clock: Clock,
  ) {}

  async restore(
    _kind: EntryKind,
    key: string,
    prefixes: readonly string[] = [],
  ): Promise<RestoredEntry | undefined> {
    const exact = await this.info(key);
    if (exact) return { key, dir: this.dirOf(key), bytes: exact.bytes };
    for (const prefix of prefixes) {
      const newest = (await this.list()).filter((e) => e.key.startsWith(prefix)).sort(newestFirst)[0];
      if (newest) return { key: newest.key, dir: this.dirOf(newest.key), bytes: newest.bytes };
    }
    return undefined;
  }

  async has(_kind: EntryKind, key: string): Promise<boolean> {
    return (await this.info(key)) !== undefined;
  }

  async prepare(kind: EntryKind): Promise<string> {
    await this.io('prepare an entry in', () => mkdir(join(this.root, 'tmp'), { recursive: true }));
    return this.io('prepare an entry in', () => mkdtemp(join(this.root, 'tmp', `${kind}-`)));
  }

  async save(_kind: EntryKind, key: string, dir: string): Promise<SaveOutcome> {
    try {
      checkKey(key);
      if (await this.has(_kind, key)) {
        await rm(dir, { recursive: true, force: true });
        return { kind: 'exists' };
      }
      const bytes = await treeBytes(dir);
      const info: EntryInfo = { key, savedAt: this.clock.now().getTime(), bytes };
      await writeFile(join(dir, metaFile), JSON.stringify(info));
      await mkdir(join(this.root, 'entries'), { recursive: true });
      try {
        await rename(dir, this.dirOf(key));
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== 'EEXIST' && code !== 'ENOTEMPTY') throw err;
        await rm(dir, { recursive: true, force: true });
        return { kind: 'exists' };
      }
      return { kind: 'saved', bytes };
    } catch (err) {
      return { kind: 'failed', message: `cannot save ${key} in ${this.root}: ${describeError(err)}` };
    }
  }

  async remove(keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      checkKey(key);
      // Renamed away first, so a reader never sees half an entry.
      const doomed = join(this.root, 'tmp', `removed-${key}-${randomBytes(6).toString('hex')}`);
      await this.io('remove an entry from', async () => {
        await mkdir(join(this.root, 'tmp'), { recursive: true });
        try {
          await rename(this.dirOf(key), doomed);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
          throw err;
        }
        await rm(doomed, { recursive: true, force: true });
      });
    }
  }

  async list(): Promise<readonly EntryInfo[]> {
    let names: string[];
    try {
      names = await readdir(join(this.root, 'entries'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new CacheError(`cannot list the cache directory ${this.root}: ${describeError(err)}`);
    }
    const infos = await Promise.all(names.map((n) => this.info(n)));
    return infos.filter((i): i is EntryInfo => i !== undefined);
  }

  /** Bytes of every file under the cache directory (entries and leftovers). */
  async sizeOnDisk(): Promise<number> {
    return treeBytes(this.root).catch(() => 0);
  }

  dirOf(key: string): string {
    checkKey(key);
    return join(this.root, 'entries', key);
  }

  private async info(key: string): Promise<EntryInfo | undefined> {
    if (!keyPattern.test(key)) return undefined;
    try {
      const raw = JSON.parse(await readFile(join(this.dirOf(key), metaFile), 'utf8')) as EntryInfo;
      return { key, savedAt: Number(raw.savedAt) || 0, bytes: Number(raw.bytes) || 0 };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR' || err instanceof SyntaxError) return undefined;
      throw new CacheError(`cannot read cache entry ${key} in ${this.root}: ${describeError(err)}`);
    }
  }

  private async io<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw new CacheError(`cannot ${what} the cache directory ${this.root}: ${describeError(err)}`, {
        hint: 'check that the cache directory is writable and its disk is not full',
      });
    }
  }
}

function newestFirst(a: EntryInfo, b: EntryInfo): number {
  return b.savedAt - a.savedAt || (a.key < b.key ? 1 : a.key > b.key ? -1 : 0);
}

function checkKey(key: string): void {
  if (!keyPattern.test(key) || key === '.' || key === '..')
    throw new CacheError(`invalid cache entry key ${JSON.stringify(key)}`);
}

/** Total size of the regular files under a directory. */
export async function treeBytes(dir: string): Promise<number> {
  let total = 0;
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) total += await treeBytes(p);
    else if (e.isFile()) total += (await stat(p)).size;
  }
  return total;
}
