/**
 * The content checksum of a COPY/ADD selection, for cache keys. Following BuildKit's contenthash idea (a
 * tarsum-like header per entry plus the content sha256, directories through their contents), but with an
 * unambiguous encoding: a version tag, counts, fixed-width integers and length-prefixed strings, so no two
 * different selections serialize to the same bytes (BuildKit joins names and digests without framing).
 *
 * Per entry: destination path, type, permission bits (incl. setuid/setgid/sticky), uid, gid, and by type the size
 * and content sha256 (files; plus the hard-link target path within the same source), the link target
 * (symlinks) or the device numbers. Never mtime, atime or ctime. Directory sizes (file-system dependent) are left
 * out. Extended attributes (e.g. `security.capability`) are not included: Node cannot read xattrs, so only what
 * lstat gives is used. File contents come from the tree's per-file digest cache (read at most once).
 */
import { createHash, type Hash } from 'node:crypto';
import { digestFromHash, digestHex, type Digest } from '../oci/digest.js';
import type { SourceTree } from './source-tree.js';
import type { ContextEntry, EntryType, FileEntry } from './context-entry.js';
import type { CopyEntry } from './copy-walk.js';
import type { CopyItem, Selection } from './select-sources.js';

const formatTag = 'image-build/selection-checksum/v1';

const typeCodes: Readonly<Record<EntryType, number>> = {
  file: 1,
  dir: 2,
  symlink: 3,
  'char-device': 4,
  'block-device': 5,
  fifo: 6,
};

/** The sha256 checksum of everything a selection copies (what, where, with which metadata). */
export async function checksumSelection(ctx: SourceTree, selection: Selection): Promise<Digest> {
  const contents = await fileDigests(ctx, selection.items);
  const w = new FrameWriter();
  w.string(formatTag);
  w.uint(selection.items.length);
  for (const item of selection.items) {
    if (item.kind === 'contents') {
      w.byte(0x43); // 'C'
      w.uint(item.entries.length);
      for (const e of item.entries) writeEntry(w, e, contents);
    } else {
      w.byte(0x53); // 'S'
      writeEntry(w, { entry: item.entry, destPath: item.name, hardlinkTo: undefined }, contents);
    }
  }
  return w.digest();
}

/** Hashes every selected file's content once (at most 8 reads at a time). */
async function fileDigests(ctx: SourceTree, items: readonly CopyItem[]): Promise<Map<FileEntry, Digest>> {
  const files: FileEntry[] = [];
  for (const item of items) {
    if (item.kind === 'single' && item.entry.type === 'file') files.push(item.entry);
    if (item.kind === 'contents')
      for (const e of item.entries) if (e.entry.type === 'file') files.push(e.entry);
  }
  const out = new Map<FileEntry, Digest>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const file = files[next++] as FileEntry;
      out.set(file, await ctx.contentDigest(file));
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, files.length) }, worker));
  return out;
}

function writeEntry(w: FrameWriter, copy: CopyEntry, contents: ReadonlyMap<FileEntry, Digest>): void {
  const e: ContextEntry = copy.entry;
  w.string(copy.destPath);
  w.byte(typeCodes[e.type]);
  w.uint(e.mode);
  w.uint(e.uid);
  w.uint(e.gid);
  switch (e.type) {
    case 'file':
      w.uint(e.size);
      w.byte(copy.hardlinkTo === undefined ? 0 : 1);
      if (copy.hardlinkTo !== undefined) w.string(copy.hardlinkTo);
      w.bytes(Buffer.from(digestHex(contents.get(e) as Digest), 'hex'));
      break;
    case 'symlink':
      w.string(e.linkTarget);
      break;
    case 'char-device':
    case 'block-device':
      w.uint(e.devMajor);
      w.uint(e.devMinor);
      break;
    case 'dir':
    case 'fifo':
      break;
  }
}

/** Writes fixed-width integers and length-prefixed byte strings into a sha256. */
export class FrameWriter {
  private readonly hash: Hash = createHash('sha256');

  byte(b: number): void {
    this.hash.update(Uint8Array.of(b));
  }

  /** An unsigned integer as 8 bytes, big-endian. */
  uint(n: number): void {
    const buf = Buffer.alloc(8);
    buf.writeBigUInt64BE(BigInt(n));
    this.hash.update(buf);
  }

  /** A byte string preceded by its length. */
  bytes(data: Uint8Array): void {
    this.uint(data.length);
    this.hash.update(data);
  }

  string(s: string): void {
    this.bytes(Buffer.from(s, 'utf8'));
  }

  digest(): Digest {
    return digestFromHash(this.hash);
  }
}
