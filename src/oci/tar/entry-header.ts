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
  const where = `tar entry at offset ${offset}`;
  const fail = (reason: 'malformed' | 'unsupported', what: string): never => {
    throw new TarError(reason, `${where}: ${what}`, { offset });
  };
  if (
    raw.typeflag === Typeflag.gnuSparse ||
    [...meta.pax.keys()].some((k) => k.startsWith(gnuSparsePrefix))
  ) {
    fail('unsupported', 'GNU sparse files are not supported');
  }
  let path = decodeText(raw.name);
  let linkname = decodeText(raw.linkname);
  let { uid, gid, size, mtime } = raw;
  let uname = decodeText(raw.uname);
  let gname = decodeText(raw.gname);
  const xattrs: Record<string, Buffer> = {};
  const pax: Record<string, string> = {};
  for (const [key, value] of meta.pax) {
    if (value.length === 0 && basicPaxKeys.has(key)) continue; // keep the header's field (POSIX; as Go)
    const text = (): string => decodeText(value);
    const int = (): number =>
      parsePaxInteger(value) ?? fail('malformed', `bad PAX ${key} ${JSON.stringify(text())}`);
    if (key === 'path') path = text();
    else if (key === 'linkpath') linkname = text();
    else if (key === 'uname') uname = text();
    else if (key === 'gname') gname = text();
    else if (key === 'uid') uid = int();
    else if (key === 'gid') gid = int();
    else if (key === 'size') size = int();
    else if (key === 'mtime')
      mtime = parsePaxTime(value) ?? fail('malformed', `bad PAX mtime ${JSON.stringify(text())}`);
    else if (key.startsWith(xattrPrefix)) xattrs[key.slice(xattrPrefix.length)] = value;
    else pax[key] = text();
  }
  if (meta.longName) path = decodeText(meta.longName);
  if (meta.longLink) linkname = decodeText(meta.longLink);
  let type = entryTypes[raw.typeflag];
  if (type === undefined)
    fail('unsupported', `unsupported entry type ${JSON.stringify(raw.typeflag)} for ${JSON.stringify(path)}`);
  if (raw.typeflag === Typeflag.fileOld && path.endsWith('/')) type = 'directory';
  if (type === 'directory') path = trimTrailingSlashes(path);
  if (uid < 0 || gid < 0 || size < 0)
    fail('malformed', `negative uid, gid or size for ${JSON.stringify(path)}`);
  const isLink = type === 'symlink' || type === 'hardlink';
  const isDevice = type === 'char' || type === 'block';
  return {
    path,
    type: type!,
    mode: raw.mode & 0o7777,
    uid,
    gid,
    ...(uname ? { uname } : {}),
    ...(gname ? { gname } : {}),
    size: type === 'file' ? size : 0,
    mtime,
    ...(isLink ? { linkname } : {}),
    ...(isDevice ? { devmajor: raw.devmajor, devminor: raw.devminor } : {}),
    ...(Object.keys(xattrs).length > 0 ? { xattrs } : {}),
    ...(Object.keys(pax).length > 0 ? { pax } : {}),
  };
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
