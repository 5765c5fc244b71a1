/** The kinds of entry a layer tar can hold (sockets cannot be archived). */
export type TarEntryType = 'file' | 'directory' | 'symlink' | 'hardlink' | 'char' | 'block' | 'fifo';

/**
 * One tar entry's metadata, independent of the on-disk format (ustar, PAX or GNU).
 *
 * - `path` is relative, without a leading `/` or `./`, and names directories WITHOUT a trailing `/` (the writer
 *   adds it). The reader exposes paths exactly as stored, except that it drops a directory's trailing `/`.
 * - `mtime` is whole seconds since the epoch (may be negative). Like BuildKit and containerd, sub-second times are
 *   not kept: the reader floors a fractional PAX `mtime`, the writer never writes one.
 * - `size` is the body length for `file` entries and 0 for every other type.
 */
export interface TarHeader {
  readonly path: string;
  readonly type: TarEntryType;
  /** Permission bits plus setuid/setgid/sticky (mask 07777). */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly uname?: string;
  readonly gname?: string;
  readonly size: number;
  readonly mtime: number;
  /** Target of a symlink, or the earlier path a hardlink points to. */
  readonly linkname?: string;
  readonly devmajor?: number;
  readonly devminor?: number;
  /** Extended attributes, stored as PAX `SCHILY.xattr.<name>` records. */
  readonly xattrs?: Readonly<Record<string, Buffer>>;
  /** PAX records that do not map to a field above (kept by the reader; written verbatim by the writer). */
  readonly pax?: Readonly<Record<string, string>>;
}

/** An entry produced by the reader: its header and a body stream of exactly `header.size` bytes. */
export interface TarEntry {
  readonly header: TarHeader;
  readonly body: AsyncIterable<Buffer>;
}
