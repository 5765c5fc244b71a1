/**
 * The build context of one build: the directory walked once (filtered by .dockerignore), every entry stat'ed
 * once, file contents hashed at most once (per inode) and small files kept in memory so the copy after a cache
 * miss does not read them again. Reads never leave the context.
 */
import { createReadStream } from 'node:fs';
import { lstat, readFile as readFromDisk, readlink, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, type TransformCallback } from 'node:stream';
import { BuildStepError, InputError, InternalError } from '../errors.js';
import type { Logger } from '../log.js';
import { DigestStream, digestOfStream, sha256, type Digest } from '../oci/digest.js';
import { inodeKey, makeEntry, entryTypeOf, type ContextEntry, type FileEntry } from './context-entry.js';
import type { PatternMatcher } from './dockerignore.js';
import type { DigestCache } from './digest-cache.js';
import type { SourceTree } from './source-tree.js';
import {
  lexicalContextPath,
  OutsideContextError,
  resolveInContext,
  SymlinkLoopError,
  type PathKind,
} from './resolve-path.js';
import { walkContext, type ContextIndex, type WalkCounters } from './walk-context.js';

export interface OpenBuildContextOptions {
  /** The context directory; symlinks in the path to it are resolved first, like BuildKit. */
  readonly dir: string;
  /** The compiled .dockerignore (see findIgnoreFile); undefined means nothing is excluded. */
  readonly ignore?: PatternMatcher;
  readonly log?: Logger;
  /** Bytes of small-file contents kept in memory (default 64 MiB); files above 1 MiB are never kept. */
  readonly contentCacheBytes?: number;
  /** Digests remembered from earlier builds (see digest-cache.ts): unchanged files are not read to be hashed. */
  readonly digestCache?: DigestCache;
}

/** What the context did to the file system so far; for reports, benchmarks and the read-once tests. */
export interface ContextStats extends WalkCounters {
  readonly entries: number;
  contentReads: number;
  bytesRead: number;
}

const maxCachedFile = 1024 * 1024;

/** Opens a context directory and walks it. Throws InputError when it is missing or not a directory. */
export async function openBuildContext(options: OpenBuildContextOptions): Promise<BuildContext> {
  let root: string;
  try {
    root = await realpath(options.dir);
    if (!(await stat(root)).isDirectory())
      throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new InputError('context', `build context "${options.dir}" is not a readable directory (${code})`, {
      hint: 'pass the directory that holds the files the Dockerfile copies',
      cause: err,
    });
  }
  const counters: WalkCounters = { lstat: 0, readdir: 0, readlink: 0 };
  const index = await walkContext(root, options.ignore, counters, options.log);
  return new BuildContext(
    root,
    options.ignore,
    index,
    counters,
    options.contentCacheBytes ?? 64 * 1024 * 1024,
    options.digestCache,
  );
}

export class BuildContext implements SourceTree {
  readonly description = 'the build context';
  private readonly digests = new Map<string, Promise<Digest>>();
  private readonly contents = new Map<string, Buffer>();
  private readonly outsideIndex = new Map<string, Promise<ContextEntry | undefined>>();
  private cacheLeft: number;
  private readonly counters: ContextStats;

  constructor(
    /** The real path of the context directory. */
    readonly root: string,
    readonly ignore: PatternMatcher | undefined,
    readonly index: ContextIndex,
    walkCounters: WalkCounters,
    contentCacheBytes: number,
    private readonly digestCache?: DigestCache,
  ) {
    this.cacheLeft = contentCacheBytes;
    this.counters = Object.assign(walkCounters, {
      entries: index.entries.length,
      contentReads: 0,
      bytesRead: 0,
    });
  }

  /** The non-ignored entries in walk order (sorted, a directory before its children); the root is not listed. */
  get entries(): readonly ContextEntry[] {
    return this.index.entries;
  }

  /** The entry at a context-relative path ('' is the root), or undefined when it is absent or ignored. */
  entry(path: string): ContextEntry | undefined {
    return this.index.byPath.get(path);
  }

  /** The children of a directory of the context, in walk order. */
  children(path: string): readonly ContextEntry[] {
    return this.index.children.get(path) ?? [];
  }

  /** True when .dockerignore excludes the path (or one of its parents). */
  isIgnored(path: string): boolean {
    return this.ignore?.matches(path) ?? false;
  }

  /** The entry at a path on disk whether or not .dockerignore excludes it (not following symlinks). */
  async diskEntry(path: string): Promise<ContextEntry | undefined> {
    return this.entry(path) ?? this.statOutsideIndex(path);
  }

  stats(): Readonly<ContextStats> {
    return { ...this.counters };
  }

  /**
   * Reads a context file, given by path or by entry, wherever .dockerignore says (the Dockerfile and
   * .dockerignore stay readable). A path that leaves the context (`..`, absolute, a symlink out) is refused.
   */
  async readFile(file: string | FileEntry): Promise<Buffer> {
    const entry = await this.fileOf(file);
    return this.contents.get(inodeKey(entry)) ?? this.readWhole(entry);
  }

  /** Streams a context file (same rules as readFile); records its digest, fails if its size changed. */
  async openFile(file: string | FileEntry): Promise<Readable> {
    const entry = await this.fileOf(file);
    const key = inodeKey(entry);
    const cached = this.contents.get(key);
    if (cached) return Readable.from([cached]);
    this.counters.contentReads++;
    const source = createReadStream(join(this.root, entry.path));
    const checked = new SizeCheckedDigestStream(entry, (digest) => {
      this.counters.bytesRead += entry.size;
      if (!this.digests.has(key)) this.digests.set(key, Promise.resolve(digest));
    });
    source.on('error', (err) => checked.destroy(err));
    return source.pipe(checked);
  }

  /** The sha256 of a file entry's content; computed once per inode and build (and remembered across builds). */
  contentDigest(file: FileEntry): Promise<Digest> {
    const key = inodeKey(file);
    let digest = this.digests.get(key);
    if (!digest) {
      const remembered = this.digestCache?.get(file);
      digest = remembered
        ? Promise.resolve(remembered)
        : (file.size <= maxCachedFile ? this.readWhole(file).then(sha256) : this.streamDigest(file)).then(
            (d) => {
              this.digestCache?.set(file, d);
              return d;
            },
          );
      this.digests.set(key, digest);
      digest.catch(() => this.digests.delete(key));
    }
    return digest;
  }

  private async fileOf(file: string | FileEntry): Promise<FileEntry> {
    if (typeof file === 'string') return this.regularFile(file);
    if (this.entry(file.path) !== file && (await this.statOutsideIndex(file.path)) !== file) {
      throw new InternalError(`"${file.path}" is not an entry of this build context`);
    }
    return file;
  }

  /** Resolves `path` strictly inside the context and returns the regular file it names. */
  private async regularFile(path: string): Promise<FileEntry> {
    let resolved: string;
    try {
      resolved = await resolveInContext(path, (rel) => this.diskKind(rel), {
        policy: 'refuse',
        followFinal: true,
      });
    } catch (err) {
      if (err instanceof OutsideContextError || err instanceof SymlinkLoopError) {
        throw new BuildStepError(`cannot read ${err.message}`, {
          hint: 'only files inside the build context can be read',
        });
      }
      throw err;
    }
    const entry = this.entry(resolved) ?? (await this.statOutsideIndex(resolved));
    if (entry?.type !== 'file') {
      const what = entry === undefined ? 'does not exist' : `is a ${entry.type}, not a regular file`;
      throw new BuildStepError(`cannot read "${path}" from the build context: it ${what}`, {
        hint: 'check the path relative to the context directory',
      });
    }
    return entry;
  }

  private async diskKind(rel: string): Promise<PathKind> {
    const entry = this.entry(rel) ?? (await this.statOutsideIndex(rel));
    if (entry === undefined) return undefined;
    return entry.type === 'symlink' ? { kind: 'symlink', target: entry.linkTarget } : { kind: 'other' };
  }

  /** lstat for paths the walk skipped (ignored ones); each at most once. */
  private statOutsideIndex(rel: string): Promise<ContextEntry | undefined> {
    let pending = this.outsideIndex.get(rel);
    if (!pending) {
      pending = this.lstatOnce(rel);
      this.outsideIndex.set(rel, pending);
    }
    return pending;
  }

  private async lstatOnce(rel: string): Promise<ContextEntry | undefined> {
    if (rel === '') return this.index.root;
    if (lexicalContextPath(rel) !== rel) return undefined; // never look outside the context
    this.counters.lstat++;
    const abs = join(this.root, rel);
    const st = await lstat(abs, { bigint: true }).catch(() => undefined);
    const type = st && entryTypeOf(st);
    if (!st || type === undefined || type === 'socket') return undefined;
    if (type !== 'symlink') return makeEntry(rel, type, st);
    this.counters.readlink++;
    return makeEntry(rel, type, st, {
      linkTarget: (await readlink(abs, { encoding: 'buffer' })).toString('utf8'),
    });
  }

  /** Hashes a large file without holding it in memory. */
  private async streamDigest(file: FileEntry): Promise<Digest> {
    this.counters.contentReads++;
    const { digest, size } = await digestOfStream(createReadStream(join(this.root, file.path)));
    this.counters.bytesRead += size;
    if (size !== file.size) throw changedError(file);
    return digest;
  }

  /** Reads a whole file once, checks it did not change size since the walk, and caches small contents. */
  private async readWhole(file: FileEntry): Promise<Buffer> {
    const key = inodeKey(file);
    const cached = this.contents.get(key);
    if (cached) return cached;
    this.counters.contentReads++;
    const data = await readFromDisk(join(this.root, file.path));
    this.counters.bytesRead += data.length;
    if (data.length !== file.size) throw changedError(file);
    if (data.length <= maxCachedFile && data.length <= this.cacheLeft) {
      this.contents.set(key, data);
      this.cacheLeft -= data.length;
    }
    if (!this.digests.has(key)) this.digests.set(key, Promise.resolve(sha256(data)));
    return data;
  }
}

function changedError(file: FileEntry): BuildStepError {
  return new BuildStepError(`"${file.path}" changed while the build was reading the context`, {
    hint: 'do not modify the build context during a build',
  });
}

/** Hashes a stream of a file's content and fails it when the size differs from the walk's lstat. */
class SizeCheckedDigestStream extends DigestStream {
  constructor(
    private readonly file: FileEntry,
    private readonly onDigest: (digest: Digest) => void,
  ) {
    super();
  }

  override _flush(cb: TransformCallback): void {
    super._flush((err) => {
      if (err) return cb(err);
      if (this.size !== this.file.size) return cb(changedError(this.file));
      this.onDigest(this.digest());
      cb();
    });
  }
}
