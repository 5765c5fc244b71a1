import type { Readable } from 'node:stream';
import type { Digest } from '../oci/digest.js';
import type { ContextEntry, FileEntry } from './context-entry.js';

/**
 * What COPY/ADD source selection, checksums and copying need from a tree of files: the build context (filtered
 * by .dockerignore), or another stage's or image's root filesystem (`COPY --from`). Paths are '/'-separated and
 * relative to the tree's root ('' is the root).
 */
export interface SourceTree {
  /** The entry at a path, or undefined when absent (or ignored). Never follows symlinks. */
  entry(path: string): ContextEntry | undefined;
  /** The children of a directory, sorted. */
  children(path: string): readonly ContextEntry[];
  /** True when the path exists on disk but is excluded (only the build context excludes anything). */
  isIgnored(path: string): boolean;
  /** The entry at a path whether or not it is excluded. */
  diskEntry(path: string): Promise<ContextEntry | undefined>;
  /** sha256 of a file's content, computed at most once per file. */
  contentDigest(file: FileEntry): Promise<Digest>;
  /** Streams a file's content. */
  openFile(file: FileEntry): Promise<Readable>;
  /** A (small) file's content in memory; the build context serves it from the copy it hashed. */
  readFile(file: FileEntry): Promise<Buffer>;
  /** Names the tree in errors ("the build context", "stage builder"). */
  readonly description: string;
}
