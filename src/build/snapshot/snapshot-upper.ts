import type { Stats } from 'node:fs';
import { readTar } from '../../oci/tar/reader.js';
import type { TarHeader } from '../../oci/tar/types.js';
import { TarWriter } from '../../oci/tar/writer.js';
import { startHostProcess } from '../host-command.js';
import type { LayeredFs } from '../rootfs/layered-fs.js';
import type { Privilege } from '../rootfs/privilege.js';

export interface SnapshotRequest {
  /** The step's upper directory (overlay format: char 0/0 whiteouts, `<prefix>opaque` directories). */
  readonly upper: string;
  /** The filesystem the step ran on, to recognise directories that were only copied up. */
  readonly below: LayeredFs;
  /** Clamp file times to this (BuildKit's rewrite-timestamp), seconds. */
  readonly sourceDateEpoch?: number;
  readonly privilege: Privilege;
  readonly hostEnv: Readonly<Record<string, string>>;
}

export interface SnapshotSummary {
  /** Entries in the layer tar (0 = the step changed nothing). */
  readonly entries: number;
  /** Directories the step made opaque (for this layer directory's overlay metadata). */
  readonly opaque: readonly string[];
}

export interface Snapshot {
  /** The layer tar: sorted, numeric owners, OCI whiteouts, no overlay-internal attributes. */
  readonly tar: AsyncIterable<Uint8Array>;
  readonly summary: Promise<SnapshotSummary>;
}

const whiteoutPrefix = '.wh.';
const opaqueMarker = '.wh..wh..opq';

/**
 * Turns a step's upper directory into a layer tar without walking the rest of the filesystem: GNU tar reads the
 * upper dir (it can read the xattrs Node cannot), and the entries are rewritten to the OCI layer format.
 */
export function snapshotUpper(req: SnapshotRequest): Snapshot {
  const tarArgv = req.privilege.wrap([
    'tar',
    '--create',
    '--file=-',
    `--directory=${req.upper}`,
    '--format=pax',
    '--numeric-owner',
    '--sort=name',
    '--xattrs',
    '--xattrs-include=*',
    '--one-file-system',
    '.',
  ]);
  const gnuTar = startHostProcess(tarArgv, req.hostEnv, 'snapshot of the build step');
  const writer = new TarWriter();
  const summary = rewrite(readTar(gnuTar.stdout), writer, req).then(
    async (s) => {
      await gnuTar.done;
      return s;
    },
    (err: unknown) => {
      gnuTar.kill();
      writer.stream.destroy(err instanceof Error ? err : new Error(String(err)));
      throw err;
    },
  );
  summary.catch(() => undefined);
  return { tar: writer.stream, summary };
}

interface Pending {
  readonly header: TarHeader;
  /** The header as read, before the time clamp (compared with the directory below). */
  readonly original: TarHeader;
  readonly opaque: boolean;
}

async function rewrite(
  entries: AsyncIterable<{ header: TarHeader; body: AsyncIterable<Buffer> }>,
  out: TarWriter,
  req: SnapshotRequest,
): Promise<SnapshotSummary> {
  const whiteouts = new Set<string>();
  const opaque: string[] = [];
  let pending: Pending | undefined;
  let count = 0;
  const emit = async (h: TarHeader, body?: AsyncIterable<Buffer>): Promise<void> => {
    count++;
    await out.add(h, body);
  };
  const flushPending = async (nextPath: string | undefined): Promise<void> => {
    if (!pending) return;
    const p = pending;
    pending = undefined;
    const hasChildren = nextPath !== undefined && nextPath.startsWith(p.header.path + '/');
    if (!hasChildren && !p.opaque && (await onlyCopiedUp(p.original, p.header.path, req.below))) return;
    await emit(p.header);
    if (p.opaque) await emit(marker(`${p.header.path}/${opaqueMarker}`));
  };
  for await (const { header, body } of entries) {
    const path = header.path.replace(/^\.\//, '');
    if (path === '.' || path === '') continue;
    await flushPending(path);
    if (
      isWhiteoutDevice(header) ||
      (header.type === 'hardlink' && whiteouts.has(stripDot(header.linkname)))
    ) {
      whiteouts.add(path);
      await emit(marker(whiteoutPath(path)));
      continue;
    }
    const clean = normalise(header, path, req.sourceDateEpoch);
    if (header.type === 'directory') {
      const isOpaque = header.xattrs?.[`${req.privilege.overlayXattrPrefix}opaque`]?.toString() === 'y';
      if (isOpaque) opaque.push(path);
      pending = { header: clean, original: header, opaque: isOpaque };
      continue;
    }
    await emit(clean, header.type === 'file' ? body : undefined);
  }
  await flushPending(undefined);
  await out.finish();
  return { entries: count, opaque };
}

function isWhiteoutDevice(h: TarHeader): boolean {
  return h.type === 'char' && (h.devmajor ?? 0) === 0 && (h.devminor ?? 0) === 0;
}

function stripDot(p: string | undefined): string {
  return (p ?? '').replace(/^\.\//, '');
}

function whiteoutPath(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? whiteoutPrefix + path : `${path.slice(0, i + 1)}${whiteoutPrefix}${path.slice(i + 1)}`;
}

/** Whiteout and opaque markers as containerd writes them: empty regular files, mode 0, owner 0, time 0. */
function marker(path: string): TarHeader {
  return { path, type: 'file', mode: 0, uid: 0, gid: 0, size: 0, mtime: 0 };
}

/**
 * Numeric owners only, times clamped to the epoch if given, and of the extended attributes only
 * `security.capability` (file capabilities set with setcap), as containerd/BuildKit write layers.
 */
function normalise(h: TarHeader, path: string, epoch: number | undefined): TarHeader {
  const xattrs: Record<string, Buffer> = {};
  const cap = h.xattrs?.['security.capability'];
  if (cap) xattrs['security.capability'] = cap;
  const mtime = epoch !== undefined && h.mtime > epoch ? epoch : h.mtime;
  const out: TarHeader = {
    path,
    type: h.type,
    mode: h.mode,
    uid: h.uid,
    gid: h.gid,
    size: h.type === 'file' ? h.size : 0,
    mtime,
    ...(h.linkname !== undefined
      ? { linkname: h.type === 'hardlink' ? stripDot(h.linkname) : h.linkname }
      : {}),
    ...(h.type === 'char' || h.type === 'block'
      ? { devmajor: h.devmajor ?? 0, devminor: h.devminor ?? 0 }
      : {}),
    ...(Object.keys(xattrs).length > 0 ? { xattrs } : {}),
  };
  return out;
}

/**
 * An empty directory in the upper dir whose metadata equals the one below was only copied up (a mountpoint stub,
 * or a file created and removed again in the same second): it is not a change, so it is left out.
 */
async function onlyCopiedUp(h: TarHeader, path: string, below: LayeredFs): Promise<boolean> {
  const e = await below.lstat('/' + path);
  if (!e || !e.stats.isDirectory()) return false;
  return sameDir(h, e.stats);
}

function sameDir(h: TarHeader, st: Stats): boolean {
  return (
    (st.mode & 0o7777) === h.mode &&
    st.uid === h.uid &&
    st.gid === h.gid &&
    Math.floor(st.mtimeMs / 1000) === h.mtime
  );
}
