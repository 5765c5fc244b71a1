import { TarError } from './errors.js';
import {
  blockSize,
  Fields,
  fitsOctal,
  paddingAfter,
  putBytes,
  putChecksum,
  putOctal,
  Typeflag,
  ustarMagic,
  ustarVersion,
} from './format.js';
import { validateHeader } from './header-validate.js';
import { basicPaxKeys, formatPaxRecords, gnuSparsePrefix, xattrPrefix } from './pax.js';
import type { TarEntryType, TarHeader } from './types.js';

/** The largest PAX extended header we write (and read): 1 MiB, as Go's archive/tar. */
export const maxPaxDataSize = 1 << 20;

const typeflags: Readonly<Record<TarEntryType, string>> = {
  file: Typeflag.file,
  directory: Typeflag.directory,
  symlink: Typeflag.symlink,
  hardlink: Typeflag.hardlink,
  char: Typeflag.char,
  block: Typeflag.block,
  fifo: Typeflag.fifo,
};

/**
 * Encodes a header as the blocks that precede the entry's body: a plain ustar header when every field fits,
 * else a PAX `x` header (records sorted by key) followed by the ustar header. Byte-for-byte what Go's
 * archive/tar writes for the same header with `Format: FormatPAX` (as containerd and BuildKit do).
 */
export function encodeHeader(h: TarHeader): Buffer {
  validateHeader(h);
  const name = h.type === 'directory' ? `${h.path}/` : h.path;
  const { records, ustarOk } = extendedRecords(h, name);
  const split = ustarOk ? splitUstarPath(name) : undefined;
  const main = Buffer.alloc(blockSize);
  putString(main, Fields.name, split ? split.name : name);
  putOctal(main, Fields.mode, h.mode);
  putNumber(main, Fields.uid, h.uid);
  putNumber(main, Fields.gid, h.gid);
  putNumber(main, Fields.size, h.size);
  putNumber(main, Fields.mtime, h.mtime);
  main.write(typeflags[h.type], Fields.typeflag.offset, 'latin1');
  putString(main, Fields.linkname, h.linkname ?? '');
  main.write(ustarMagic + ustarVersion, Fields.magic.offset, 'latin1');
  putString(main, Fields.uname, h.uname ?? '');
  putString(main, Fields.gname, h.gname ?? '');
  putOctal(main, Fields.devmajor, h.devmajor ?? 0);
  putOctal(main, Fields.devminor, h.devminor ?? 0);
  if (split) putString(main, Fields.prefix, split.prefix);
  putChecksum(main);
  if (ustarOk) return main;
  return Buffer.concat([paxHeaderBlocks(name, formatPaxRecords(records)), main]);
}

/**
 * The PAX records a header needs, and whether plain ustar can hold it instead. As in Go, a long or non-ASCII
 * path is recorded even when PAX is needed for another reason only.
 */
function extendedRecords(h: TarHeader, name: string): { records: Map<string, Uint8Array>; ustarOk: boolean } {
  const records = new Map<string, Uint8Array>();
  let ustarOk = true;
  const text = (key: string, value: string, size: number, splittable: boolean): void => {
    const bytes = Buffer.from(value, 'utf8');
    const ascii = isAscii(bytes);
    if (ascii && bytes.length <= size) return;
    records.set(key, bytes);
    if (!splittable || !ascii || splitUstarPath(value) === undefined) ustarOk = false;
  };
  const numeric = (key: string, value: number, size: number): void => {
    if (fitsOctal(size, value)) return;
    records.set(key, Buffer.from(String(value), 'latin1'));
    ustarOk = false;
  };
  text('path', name, Fields.name.length, true);
  text('linkpath', h.linkname ?? '', Fields.linkname.length, false);
  text('uname', h.uname ?? '', Fields.uname.length, false);
  text('gname', h.gname ?? '', Fields.gname.length, false);
  numeric('uid', h.uid, Fields.uid.length);
  numeric('gid', h.gid, Fields.gid.length);
  numeric('size', h.size, Fields.size.length);
  numeric('mtime', h.mtime, Fields.mtime.length);
  for (const [key, value] of Object.entries(h.xattrs ?? {})) {
    records.set(xattrPrefix + key, value);
    ustarOk = false;
  }
  for (const [key, value] of Object.entries(h.pax ?? {})) {
    if (records.has(key) || basicPaxKeys.has(key) || key.startsWith(gnuSparsePrefix)) continue;
    records.set(key, Buffer.from(value, 'utf8'));
    ustarOk = false;
  }
  return { records, ustarOk };
}

/** The `x` header and its padded data. The header's name is Go's `<dir>/PaxHeaders.0/<base>`. */
function paxHeaderBlocks(name: string, data: Buffer): Buffer {
  if (data.length > maxPaxDataSize) {
    throw new TarError(
      'limit',
      `cannot write tar entry ${JSON.stringify(name)}: its PAX header exceeds 1 MiB`,
      {
        hint: 'reduce the size of its extended attributes',
      },
    );
  }
  const slash = name.lastIndexOf('/');
  const base = name.slice(slash + 1);
  const paxName = `${name.slice(0, slash + 1)}PaxHeaders.0${base ? `/${base}` : ''}`;
  const block = Buffer.alloc(blockSize);
  const asciiName = toAscii(paxName).subarray(0, Fields.name.length);
  let end = asciiName.length;
  while (end > 0 && asciiName[end - 1] === 0x2f) end--;
  putBytes(block, Fields.name, asciiName.subarray(0, end));
  putOctal(block, Fields.mode, 0);
  putOctal(block, Fields.uid, 0);
  putOctal(block, Fields.gid, 0);
  putOctal(block, Fields.size, data.length);
  putOctal(block, Fields.mtime, 0);
  block.write(Typeflag.paxLocal, Fields.typeflag.offset, 'latin1');
  block.write(ustarMagic + ustarVersion, Fields.magic.offset, 'latin1');
  putChecksum(block);
  return Buffer.concat([block, data, Buffer.alloc(paddingAfter(data.length))]);
}

/**
 * Splits a long ASCII path into ustar prefix (≤155 bytes) and name (≤100 bytes) at the last `/` that keeps the
 * prefix short enough — the rule GNU tar and Go share. Undefined when the path fits in the name field alone or
 * cannot be split.
 */
export function splitUstarPath(p: string): { prefix: string; name: string } | undefined {
  const nameMax = Fields.name.length;
  const prefixMax = Fields.prefix.length;
  if (p.length <= nameMax || !isAscii(Buffer.from(p, 'utf8'))) return undefined;
  let length = p.length;
  if (length > prefixMax + 1) length = prefixMax + 1;
  else if (p[length - 1] === '/') length--;
  const i = p.lastIndexOf('/', length - 1);
  const nameLength = p.length - i - 1;
  if (i <= 0 || nameLength > nameMax || nameLength === 0 || i > prefixMax) return undefined;
  return { prefix: p.slice(0, i), name: p.slice(i + 1) };
}

/** Writes a text field as Go does in PAX mode: non-ASCII bytes dropped, truncated to the field. */
function putString(block: Buffer, f: (typeof Fields)[keyof typeof Fields], value: string): void {
  putBytes(block, f, toAscii(value));
}

/** Writes a number, or 0 when it does not fit (its real value is then in a PAX record). */
function putNumber(block: Buffer, f: (typeof Fields)[keyof typeof Fields], value: number): void {
  putOctal(block, f, fitsOctal(f.length, value) ? value : 0);
}

function isAscii(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b >= 0x80 || b === 0) return false;
  return true;
}

function toAscii(value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  return isAscii(bytes) ? bytes : Buffer.from(bytes.filter((b) => b < 0x80 && b !== 0));
}
