/**
 * The byte layout of a 512-byte tar header block (POSIX ustar, with the GNU and star variants the reader
 * recognises) and the codecs for its fields.
 */

export const blockSize = 512;

/** A header field: offset and length in the block. */
export interface Field {
  readonly offset: number;
  readonly length: number;
}

const field = (offset: number, length: number): Field => ({ offset, length });

export const Fields = {
  name: field(0, 100),
  mode: field(100, 8),
  uid: field(108, 8),
  gid: field(116, 8),
  size: field(124, 12),
  mtime: field(136, 12),
  checksum: field(148, 8),
  typeflag: field(156, 1),
  linkname: field(157, 100),
  magic: field(257, 6),
  version: field(263, 2),
  uname: field(265, 32),
  gname: field(297, 32),
  devmajor: field(329, 8),
  devminor: field(337, 8),
  prefix: field(345, 155),
  /** star (Schily tar) has a shorter prefix and a trailer at the end of the block. */
  starPrefix: field(345, 131),
  starTrailer: field(508, 4),
} as const;

export const ustarMagic = 'ustar\0';
export const ustarVersion = '00';
export const gnuMagic = 'ustar ';
export const gnuVersion = ' \0';
export const starTrailer = 'tar\0';

/** Typeflag bytes, as single-character strings. */
export const Typeflag = {
  file: '0',
  fileOld: '\0',
  contiguous: '7',
  hardlink: '1',
  symlink: '2',
  char: '3',
  block: '4',
  directory: '5',
  fifo: '6',
  paxLocal: 'x',
  paxGlobal: 'g',
  gnuLongName: 'L',
  gnuLongLink: 'K',
  gnuSparse: 'S',
  gnuVolume: 'V',
} as const;

/** True when `x` is a non-negative integer that fits in a field of `length` bytes as NUL-terminated octal. */
export function fitsOctal(length: number, x: number): boolean {
  return Number.isSafeInteger(x) && x >= 0 && x < 8 ** (length - 1);
}

/** Writes `s` (already encoded) into a field, NUL-padded; the caller guarantees it fits. */
export function putBytes(block: Buffer, f: Field, bytes: Uint8Array): void {
  block.set(bytes.subarray(0, f.length), f.offset);
}

/** Writes `x` as zero-padded octal followed by NUL, as Go's archive/tar and GNU tar do. */
export function putOctal(block: Buffer, f: Field, x: number): void {
  const digits = x.toString(8).padStart(f.length - 1, '0');
  block.write(digits, f.offset, f.length - 1, 'latin1');
  block[f.offset + f.length - 1] = 0;
}

/** The header checksum: the byte sum with the checksum field counted as spaces (unsigned and signed variants). */
export function computeChecksums(block: Uint8Array): { unsigned: number; signed: number } {
  let unsigned = 0;
  let signed = 0;
  const { offset, length } = Fields.checksum;
  for (let i = 0; i < blockSize; i++) {
    const c = i >= offset && i < offset + length ? 0x20 : block[i]!;
    unsigned += c;
    signed += c < 0x80 ? c : c - 0x100;
  }
  return { unsigned, signed };
}

/** Fills in the checksum field the way Go and GNU tar do: six octal digits, NUL, space. */
export function putChecksum(block: Buffer): void {
  const sum = computeChecksums(block).unsigned;
  block.write(sum.toString(8).padStart(6, '0'), Fields.checksum.offset, 6, 'latin1');
  block[Fields.checksum.offset + 6] = 0;
  block[Fields.checksum.offset + 7] = 0x20;
}

/** The bytes of a field up to its first NUL. */
export function fieldBytes(block: Uint8Array, f: Field): Buffer {
  const raw = Buffer.from(block.buffer, block.byteOffset + f.offset, f.length);
  const nul = raw.indexOf(0);
  return nul < 0 ? raw : raw.subarray(0, nul);
}

export function fieldLatin1(block: Uint8Array, f: Field): string {
  return Buffer.from(block.buffer, block.byteOffset + f.offset, f.length).toString('latin1');
}

/**
 * Parses a numeric field: octal (leading/trailing spaces and NULs tolerated) or GNU base-256 (high bit set,
 * two's complement). Returns undefined when the field is malformed or the value is not a safe integer.
 */
export function parseNumeric(block: Uint8Array, f: Field): number | undefined {
  const first = block[f.offset]!;
  if (first & 0x80) return parseBase256(block.subarray(f.offset, f.offset + f.length));
  const text = fieldLatin1(block, f).replace(/^[ \0]+|[ \0]+$/g, '');
  const digits = text.split('\0', 1)[0]!;
  if (digits === '') return 0;
  if (!/^[0-7]+$/.test(digits)) return undefined;
  const value = parseInt(digits, 8);
  return Number.isSafeInteger(value) ? value : undefined;
}

function parseBase256(bytes: Uint8Array): number | undefined {
  const negative = (bytes[0]! & 0x40) !== 0;
  const invert = negative ? 0xff : 0;
  let x = 0;
  for (let i = 0; i < bytes.length; i++) {
    let c = bytes[i]! ^ invert;
    if (i === 0) c &= 0x7f;
    x = x * 256 + c;
    if (x > Number.MAX_SAFE_INTEGER) return undefined;
  }
  return negative ? -x - 1 : x;
}

/** True when every byte of the block is zero (an end-of-archive marker). */
export function isZeroBlock(block: Uint8Array): boolean {
  for (let i = 0; i < block.length; i++) if (block[i] !== 0) return false;
  return true;
}

/** Bytes of padding after a body of `size` bytes. */
export function paddingAfter(size: number): number {
  const rest = size % blockSize;
  return rest === 0 ? 0 : blockSize - rest;
}
