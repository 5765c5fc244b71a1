/** PAX extended header records (`"<length> <key>=<value>\n"`, POSIX.1-2001 pax format). */

export const xattrPrefix = 'SCHILY.xattr.';
export const gnuSparsePrefix = 'GNU.sparse.';

/** Keys that map to header fields; never copied from `TarHeader.pax` into an archive. */
export const basicPaxKeys: ReadonlySet<string> = new Set([
  'path',
  'linkpath',
  'size',
  'uid',
  'gid',
  'uname',
  'gname',
  'mtime',
  'atime',
  'ctime',
]);

/** Keys whose values are text and therefore may not contain NUL. */
const textKeys: ReadonlySet<string> = new Set(['path', 'linkpath', 'uname', 'gname']);

export interface PaxRecord {
  readonly key: string;
  readonly value: Buffer;
}

/** Whether a record can be stored: a non-empty key without `=` or NUL; text values without NUL. */
export function isValidPaxRecord(key: string, value: Uint8Array): boolean {
  if (key === '' || key.includes('=') || key.includes('\0')) return false;
  return !textKeys.has(key) || !value.includes(0);
}

/**
 * Encodes one record. The length prefix counts itself, so adding its digits can push the total over a power of
 * ten (e.g. 8 bytes of content + "9 " = 10, which needs two digits: "10 "): recompute once in that case.
 */
export function formatPaxRecord(key: string, value: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(` ${key}=`, 'utf8'), value, Buffer.from('\n')]);
  let size = body.length + String(body.length).length;
  if (String(size).length + body.length !== size) size = String(size).length + body.length;
  return Buffer.concat([Buffer.from(String(size), 'latin1'), body]);
}

/** Encodes records sorted by key (bytewise on the UTF-8 key, as Go's sort.Strings orders them). */
export function formatPaxRecords(records: ReadonlyMap<string, Uint8Array>): Buffer {
  const keys = [...records.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return Buffer.concat(keys.map((k) => formatPaxRecord(k, records.get(k)!)));
}

/** Parses a PAX data block; returns undefined (malformed) on any framing error. */
export function parsePaxRecords(data: Buffer): PaxRecord[] | undefined {
  const records: PaxRecord[] = [];
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    if (space < 0 || space - pos > 20) return undefined;
    const lengthText = data.toString('latin1', pos, space);
    if (!/^[0-9]+$/.test(lengthText)) return undefined;
    const length = Number(lengthText);
    const end = pos + length;
    if (length < 5 || end > data.length || end <= space + 1 || data[end - 1] !== 0x0a) return undefined;
    const eq = data.indexOf(0x3d, space + 1);
    if (eq < 0 || eq >= end - 1) return undefined;
    const key = data.toString('utf8', space + 1, eq);
    const value = data.subarray(eq + 1, end - 1);
    if (!isValidPaxRecord(key, value)) return undefined;
    records.push({ key, value });
    pos = end;
  }
  return records;
}
