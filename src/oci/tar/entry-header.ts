import { TarError } from './errors.js';
import { Typeflag } from './format.js';
import type { RawHeader } from './header-decode.js';
import { basicPaxKeys, gnuSparsePrefix, type PaxRecord, xattrPrefix } from './pax.js';
import type { TarEntryType, TarHeader } from './types.js';

/** Metadata that precedes an entry: the local PAX records (later ones win) and GNU long name/link. */
export interface PendingMetadata {
  readonly pax: Map<string, Buffer>;
  longName?: Buffer;
  longLink?: Buffer;
}

const entryTypes: Readonly<Record<string, TarEntryType>> = {
  [Typeflag.file]: 'file',
  [Typeflag.fileOld]: 'file',
  [Typeflag.contiguous]: 'file',
  [Typeflag.hardlink]: 'hardlink',
  [Typeflag.symlink]: 'symlink',
  [Typeflag.char]: 'char',
  [Typeflag.block]: 'block',
  [Typeflag.directory]: 'directory',
  [Typeflag.fifo]: 'fifo',
};

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Text as stored: UTF-8 when valid, else Latin-1 (one character per byte, so nothing is lost). */
export function decodeText(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    return Buffer.from(bytes).toString('latin1');
  }
}

/**
 * Applies PAX records, then GNU long names (Go's precedence) to a raw header and maps it to the model.
 * Global (`g`) records are not applied: Go's archive/tar — hence containerd, BuildKit and Docker — ignores them.
 */
export function buildEntryHeader(raw: RawHeader, meta: PendingMetadata, offset: number): TarHeader {
  const fail = (reason: 'malformed' | 'unsupported', what: string): never => {
    throw new TarError(reason, `tar entry at offset ${offset}: ${what}`, { offset });
  };
  const sparse = [...meta.pax.keys()].some((k) => k.startsWith(gnuSparsePrefix));
  if (raw.typeflag === Typeflag.gnuSparse || sparse)
    fail('unsupported', 'GNU sparse files are not supported');
  const f = applyPax(raw, meta.pax, fail);
  if (meta.longName) f.path = decodeText(meta.longName);
  if (meta.longLink) f.linkname = decodeText(meta.longLink);
  let type = entryTypes[raw.typeflag];
  if (type === undefined) {
    fail(
      'unsupported',
      `unsupported entry type ${JSON.stringify(raw.typeflag)} for ${JSON.stringify(f.path)}`,
    );
  }
  if (raw.typeflag === Typeflag.fileOld && f.path.endsWith('/')) type = 'directory';
  if (type === 'directory') f.path = trimTrailingSlashes(f.path);
  if (f.uid < 0 || f.gid < 0 || f.size < 0)
    fail('malformed', `negative uid, gid or size for ${JSON.stringify(f.path)}`);
  const isLink = type === 'symlink' || type === 'hardlink';
  const isDevice = type === 'char' || type === 'block';
  return {
    path: f.path,
    type: type!,
    mode: raw.mode & 0o7777,
    uid: f.uid,
    gid: f.gid,
    ...(f.uname ? { uname: f.uname } : {}),
    ...(f.gname ? { gname: f.gname } : {}),
    size: type === 'file' ? f.size : 0,
    mtime: f.mtime,
    ...(isLink ? { linkname: f.linkname } : {}),
    ...(isDevice ? { devmajor: raw.devmajor, devminor: raw.devminor } : {}),
    ...(Object.keys(f.xattrs).length > 0 ? { xattrs: f.xattrs } : {}),
    ...(Object.keys(f.pax).length > 0 ? { pax: f.pax } : {}),
  };
}

/** The header fields PAX records can override, plus xattrs and the records that map to no field. */
interface EntryFields {
  path: string;
  linkname: string;
  uname: string;
  gname: string;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  readonly xattrs: Record<string, Buffer>;
  readonly pax: Record<string, string>;
}

function applyPax(
  raw: RawHeader,
  records: ReadonlyMap<string, Buffer>,
  fail: (reason: 'malformed', what: string) => never,
): EntryFields {
  const f: EntryFields = {
    path: decodeText(raw.name),
    linkname: decodeText(raw.linkname),
    uname: decodeText(raw.uname),
    gname: decodeText(raw.gname),
    uid: raw.uid,
    gid: raw.gid,
    size: raw.size,
    mtime: raw.mtime,
    xattrs: {},
    pax: {},
  };
  for (const [key, value] of records) {
    if (value.length === 0 && basicPaxKeys.has(key)) continue; // keep the header's field (POSIX; as Go)
    const text = decodeText(value);
    const bad = (): never => fail('malformed', `bad PAX ${key} ${JSON.stringify(text)}`);
    if (key === 'path' || key === 'linkpath' || key === 'uname' || key === 'gname') {
      f[key === 'linkpath' ? 'linkname' : key] = text;
    } else if (key === 'uid' || key === 'gid' || key === 'size') {
      f[key] = parsePaxInteger(value) ?? bad();
    } else if (key === 'mtime') {
      f.mtime = parsePaxTime(value) ?? bad();
    } else if (key.startsWith(xattrPrefix)) {
      f.xattrs[key.slice(xattrPrefix.length)] = value;
    } else {
      f.pax[key] = text;
    }
  }
  return f;
}

/** Records collected from a `x` header, merged over earlier ones. */
export function mergePax(meta: PendingMetadata, records: readonly PaxRecord[]): void {
  for (const { key, value } of records) meta.pax.set(key, value);
}

function trimTrailingSlashes(p: string): string {
  let end = p.length;
  while (end > 1 && p[end - 1] === '/') end--;
  return p.slice(0, end);
}

function parsePaxInteger(value: Buffer): number | undefined {
  const s = value.toString('latin1');
  if (!/^[0-9]{1,16}$/.test(s)) return undefined;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** `[-]seconds[.fraction]`, floored to whole seconds (BuildKit and containerd truncate sub-second times). */
function parsePaxTime(value: Buffer): number | undefined {
  const m = /^(-?)([0-9]{1,16})(?:\.([0-9]*))?$/.exec(value.toString('latin1'));
  if (!m) return undefined;
  const secs = Number(m[2]);
  if (!Number.isSafeInteger(secs)) return undefined;
  const hasFraction = /[1-9]/.test(m[3] ?? '');
  if (m[1] === '-') return hasFraction ? -secs - 1 : 0 - secs;
  return secs;
}
