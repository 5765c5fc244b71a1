import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { isDigest, type Digest } from '../oci/digest.js';
import type { FileEntry } from './context-entry.js';

/**
 * Content digests of context files remembered between builds, keyed by what changes whenever the content can:
 * device, inode, size, mtime and ctime (nanoseconds). An unchanged file is then not read again to key a COPY —
 * the way git's index and BuildKit's contenthash cache avoid re-hashing a tree. Writing a file, even with its
 * old mtime restored, moves its ctime, so no edit goes unseen.
 */
export interface DigestCache {
  get(file: FileEntry): Digest | undefined;
  set(file: FileEntry, digest: Digest): void;
}

export function fileIdentity(f: FileEntry): string {
  return `${f.dev}:${f.ino}:${f.size}:${f.mtimeNs}:${f.ctimeNs}`;
}

/** A DigestCache in one JSON file; `save` keeps only the entries looked up or added in this run. */
export class FileDigestCache implements DigestCache {
  private readonly used = new Map<string, Digest>();

  private constructor(
    private readonly path: string,
    private readonly known: ReadonlyMap<string, Digest>,
  ) {}

  /** Loads the cache; a missing or unreadable file is an empty cache. */
  static async load(path: string): Promise<FileDigestCache> {
    const known = new Map<string, Digest>();
    try {
      const data = JSON.parse(await readFile(path, 'utf8')) as unknown;
      if (data && typeof data === 'object' && !Array.isArray(data)) {
        for (const [k, v] of Object.entries(data)) if (typeof v === 'string' && isDigest(v)) known.set(k, v);
      }
    } catch {
      // no cache yet, or a damaged one: start empty
    }
    return new FileDigestCache(path, known);
  }

  get(file: FileEntry): Digest | undefined {
    const key = fileIdentity(file);
    const d = this.known.get(key);
    if (d) this.used.set(key, d);
    return d;
  }

  set(file: FileEntry, digest: Digest): void {
    this.used.set(fileIdentity(file), digest);
  }

  /** Writes the entries this run used (atomically); stale ones drop out. */
  async save(): Promise<void> {
    const tmp = `${this.path}.${randomBytes(4).toString('hex')}`;
    await writeFile(tmp, JSON.stringify(Object.fromEntries(this.used)));
    await rename(tmp, this.path);
  }
}
