/**
 * One entry of the build context, from a single `lstat`: never a followed symlink. Metadata is what a layer tar
 * needs (type, permission bits incl. setuid/setgid/sticky, uid, gid, size, link target, device numbers) plus the
 * identity used for hard-link detection (dev, ino, nlink). mtime is kept for the copy, never for cache keys.
 */
import type { BigIntStats } from 'node:fs';

export type EntryType = 'file' | 'dir' | 'symlink' | 'char-device' | 'block-device' | 'fifo';

interface EntryBase {
  /** Context-relative, '/'-separated, no leading './' or '/'; '' is the context root. */
  readonly path: string;
  /** Permission bits including setuid (04000), setgid (02000) and sticky (01000): `st_mode & 0o7777`. */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly mtimeNs: bigint;
  /** Moves on any change to the inode, even when mtime is restored: part of a file's identity for caching. */
  readonly ctimeNs: bigint;
  readonly dev: bigint;
  readonly ino: bigint;
  readonly nlink: number;
}

export interface FileEntry extends EntryBase {
  readonly type: 'file';
  readonly size: number;
  /** The earlier (walk order) context path of the same inode when this file is a hard link to it. */
  readonly hardlinkOf: string | undefined;
}

export interface DirEntry extends EntryBase {
  readonly type: 'dir';
}

export interface SymlinkEntry extends EntryBase {
  readonly type: 'symlink';
  /** The link target exactly as stored; never resolved. */
  readonly linkTarget: string;
}

export interface DeviceEntry extends EntryBase {
  readonly type: 'char-device' | 'block-device';
  readonly devMajor: number;
  readonly devMinor: number;
}

export interface FifoEntry extends EntryBase {
  readonly type: 'fifo';
}

export type ContextEntry = FileEntry | DirEntry | SymlinkEntry | DeviceEntry | FifoEntry;

/** An entry type, or 'socket' (sockets are never part of a context), or undefined for unknown kinds. */
export function entryTypeOf(st: BigIntStats): EntryType | 'socket' | undefined {
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'dir';
  if (st.isSymbolicLink()) return 'symlink';
  if (st.isCharacterDevice()) return 'char-device';
  if (st.isBlockDevice()) return 'block-device';
  if (st.isFIFO()) return 'fifo';
  if (st.isSocket()) return 'socket';
  return undefined;
}

/** Linux `major()`/`minor()` of a device number (glibc's encoding, which fsutil also uses). */
export function deviceNumbers(rdev: bigint): { devMajor: number; devMinor: number } {
  const major = ((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & ~0xfffn);
  const minor = (rdev & 0xffn) | ((rdev >> 12n) & ~0xffn);
  return { devMajor: Number(major), devMinor: Number(minor) };
}

/** Builds an entry from lstat results; `linkTarget` is required for symlinks, `hardlinkOf` applies to files. */
export function makeEntry(
  path: string,
  type: EntryType,
  st: BigIntStats,
  extra: { readonly linkTarget?: string; readonly hardlinkOf?: string } = {},
): ContextEntry {
  const base: EntryBase = {
    path,
    mode: Number(st.mode & 0o7777n),
    uid: Number(st.uid),
    gid: Number(st.gid),
    mtimeNs: st.mtimeNs,
    ctimeNs: st.ctimeNs,
    dev: st.dev,
    ino: st.ino,
    nlink: Number(st.nlink),
  };
  switch (type) {
    case 'file':
      return { ...base, type, size: Number(st.size), hardlinkOf: extra.hardlinkOf };
    case 'symlink':
      return { ...base, type, linkTarget: extra.linkTarget ?? '' };
    case 'char-device':
    case 'block-device':
      return { ...base, type, ...deviceNumbers(st.rdev) };
    case 'dir':
    case 'fifo':
      return { ...base, type };
  }
}

/** A stable key for an inode, shared by all hard links to it. */
export function inodeKey(entry: { readonly dev: bigint; readonly ino: bigint }): string {
  return `${entry.dev}:${entry.ino}`;
}
