/**
 * Hand-crafted tar bytes for reader tests: an implementation independent of src/oci/tar, so the tests do not
 * assume what they check. Numeric fields take a number (written as octal) or raw bytes (base-256, garbage).
 */
export interface CraftedHeader {
  readonly name?: string | Buffer;
  readonly mode?: number | Buffer;
  readonly uid?: number | Buffer;
  readonly gid?: number | Buffer;
  readonly size?: number | Buffer;
  readonly mtime?: number | Buffer;
  readonly typeflag?: string;
  readonly linkname?: string;
  readonly magic?: 'ustar' | 'gnu' | 'v7' | 'star';
  readonly uname?: string;
  readonly gname?: string;
  readonly devmajor?: number;
  readonly devminor?: number;
  readonly prefix?: string;
  readonly checksum?: 'unsigned' | 'signed' | 'wrong';
}

function put(b: Buffer, offset: number, length: number, v: number | string | Buffer): void {
  if (typeof v === 'number') b.write(v.toString(8).padStart(length - 1, '0'), offset, length - 1, 'latin1');
  else Buffer.from(v).copy(b, offset, 0, length);
}

export function header(h: CraftedHeader): Buffer {
  const b = Buffer.alloc(512);
  put(b, 0, 100, h.name ?? 'file');
  put(b, 100, 8, h.mode ?? 0o644);
  put(b, 108, 8, h.uid ?? 0);
  put(b, 116, 8, h.gid ?? 0);
  put(b, 124, 12, h.size ?? 0);
  put(b, 136, 12, h.mtime ?? 1_700_000_000);
  b.write(h.typeflag ?? '0', 156, 1, 'latin1');
  put(b, 157, 100, h.linkname ?? '');
  const magic = h.magic ?? 'ustar';
  if (magic === 'ustar' || magic === 'star') b.write('ustar\u000000', 257, 'latin1');
  if (magic === 'gnu') b.write('ustar  \u0000', 257, 'latin1');
  if (magic !== 'v7') {
    put(b, 265, 32, h.uname ?? '');
    put(b, 297, 32, h.gname ?? '');
    put(b, 329, 8, h.devmajor ?? 0);
    put(b, 337, 8, h.devminor ?? 0);
  }
  if (h.prefix) put(b, 345, magic === 'star' ? 131 : 155, h.prefix);
  if (magic === 'star') b.write('tar\u0000', 508, 'latin1');
  b.fill(0x20, 148, 156);
  let sum = 0;
  for (const c of b) sum += h.checksum === 'signed' && c >= 0x80 ? c - 0x100 : c;
  if (h.checksum === 'wrong') sum += 1;
  b.write(`${(sum >>> 0).toString(8).padStart(6, '0')}\u0000 `, 148, 'latin1');
  return b;
}

/** Data padded to whole blocks. */
export function padded(data: string | Buffer): Buffer {
  const d = Buffer.from(data);
  return Buffer.concat([d, Buffer.alloc((512 - (d.length % 512)) % 512)]);
}

/** A file entry: header plus padded body. */
export function file(name: string, body: string | Buffer, h: CraftedHeader = {}): Buffer {
  return Buffer.concat([header({ name, size: Buffer.byteLength(body), ...h }), padded(body)]);
}

/** One PAX record; the length prefix counts itself. */
export function record(key: string, value: string | Buffer): Buffer {
  const rest = Buffer.concat([Buffer.from(` ${key}=`), Buffer.from(value), Buffer.from('\n')]);
  let n = rest.length + 1;
  while (String(n).length + rest.length !== n) n = String(n).length + rest.length;
  return Buffer.concat([Buffer.from(String(n)), rest]);
}

/** A metadata entry (`x`, `g`, `L`, `K`) with the given data. */
export function meta(typeflag: string, data: string | Buffer): Buffer {
  return Buffer.concat([header({ name: 'meta', typeflag, size: Buffer.byteLength(data) }), padded(data)]);
}

export const endMarker = Buffer.alloc(1024);

/** Raw bytes of a GNU base-256 field of `length` bytes. */
export function base256(value: bigint, length: number): Buffer {
  const b = Buffer.alloc(length);
  let v = value < 0n ? (1n << BigInt(8 * length)) + value : value;
  for (let i = length - 1; i >= 0; i--) {
    b[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  b[0]! |= 0x80;
  return b;
}
