/**
 * File trees of unpacked images for the differential suite: every path below a rootfs with the attributes an
 * image carries (type, permission and special bits, owner, size, content hash, link target, device numbers,
 * hardlink group, optionally mtime), and the comparison of two such trees as a list of differences.
 */
import { createHash } from 'node:crypto';
import { createReadStream, type Stats } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';

export type TreeField =
  'type' | 'mode' | 'uid' | 'gid' | 'size' | 'sha256' | 'target' | 'device' | 'hardlinks' | 'mtime';

const fields: readonly TreeField[] = [
  'type',
  'mode',
  'uid',
  'gid',
  'size',
  'sha256',
  'target',
  'device',
  'hardlinks',
  'mtime',
];

/** One path's attributes as strings; a field that does not apply to the type is absent. */
export type TreeRecord = Readonly<Partial<Record<TreeField, string>>>;

/** Container path (`/etc/passwd`) → attributes; the root directory itself is not listed. */
export type Tree = ReadonlyMap<string, TreeRecord>;

/** A way the two images differ: a path (or a config field) with both sides rendered. */
export type Difference =
  | {
      readonly kind: 'tree';
      readonly path: string;
      readonly field: TreeField | 'presence';
      readonly ours: string;
      readonly buildah: string;
    }
  | { readonly kind: 'config'; readonly field: string; readonly ours: string; readonly buildah: string };

export interface ReadTreeOptions {
  /** Record mtimes (seconds) of non-directories; only meaningful when both sides pinned their times. */
  readonly mtimes: boolean;
}

/** Walks an unpacked rootfs (lstat only; links are never followed). */
export async function readTree(rootfs: string, options: ReadTreeOptions): Promise<Tree> {
  const out = new Map<string, TreeRecord>();
  const inodes = new Map<string, string[]>();
  const walk = async (dir: string, prefix: string): Promise<void> => {
    for (const name of (await readdir(dir)).sort()) {
      const host = join(dir, name);
      const path = `${prefix}/${name}`;
      const st = await lstat(host);
      out.set(path, await describe(host, st, options));
      if (!st.isDirectory() && st.nlink > 1) {
        const key = `${st.dev}:${st.ino}`;
        inodes.set(key, [...(inodes.get(key) ?? []), path]);
      }
      if (st.isDirectory()) await walk(host, path);
    }
  };
  await walk(rootfs, '');
  for (const group of inodes.values()) {
    if (group.length < 2) continue;
    for (const path of group)
      out.set(path, { ...out.get(path), hardlinks: group.filter((p) => p !== path).join(', ') });
  }
  return out;
}

async function describe(host: string, st: Stats, options: ReadTreeOptions): Promise<TreeRecord> {
  const base: Partial<Record<TreeField, string>> = {
    type: typeOf(st),
    mode: (st.mode & 0o7777).toString(8).padStart(4, '0'),
    uid: String(st.uid),
    gid: String(st.gid),
  };
  if (st.isFile()) {
    base.size = String(st.size);
    base.sha256 = await hashFile(host);
  }
  if (st.isSymbolicLink()) {
    base.target = await readlink(host);
    delete base.mode; // symlink permissions are not part of an image (always 0777 on Linux)
  }
  if (st.isCharacterDevice() || st.isBlockDevice()) base.device = `${major(st.rdev)},${minor(st.rdev)}`;
  if (options.mtimes && !st.isDirectory()) base.mtime = String(Math.floor(st.mtimeMs / 1000));
  return base;
}

function typeOf(st: Stats): string {
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'dir';
  if (st.isSymbolicLink()) return 'symlink';
  if (st.isCharacterDevice()) return 'char';
  if (st.isBlockDevice()) return 'block';
  if (st.isFIFO()) return 'fifo';
  return 'socket';
}

function major(dev: number): number {
  return ((dev >> 8) & 0xfff) | (Math.floor(dev / 2 ** 32) & ~0xfff);
}

function minor(dev: number): number {
  return (dev & 0xff) | ((dev >> 12) & 0xfff00);
}

function hashFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (c) => h.update(c))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex').slice(0, 16)));
  });
}

/** One line for a path's record, e.g. `file 0644 0:0 6B`. */
export function summarize(r: TreeRecord | undefined): string {
  if (!r) return 'absent';
  const parts = [r.type, r.mode, `${r.uid}:${r.gid}`];
  if (r.size !== undefined) parts.push(`${r.size}B`);
  if (r.target !== undefined) parts.push(`-> ${r.target}`);
  if (r.device !== undefined) parts.push(r.device);
  return parts.filter((p) => p !== undefined).join(' ');
}

/**
 * Field-by-field differences. A path present on one side only is one `presence` difference, and so is a type
 * change; the paths below such a path are not listed again (they follow from it).
 */
export function compareTrees(ours: Tree, buildah: Tree): Difference[] {
  const paths = [...new Set([...ours.keys(), ...buildah.keys()])].sort();
  const out: Difference[] = [];
  let covered: string | undefined;
  for (const path of paths) {
    if (covered !== undefined && path.startsWith(covered + '/')) continue;
    covered = undefined;
    const a = ours.get(path);
    const b = buildah.get(path);
    if (!a || !b || a.type !== b.type) {
      out.push({
        kind: 'tree',
        path,
        field: !a || !b ? 'presence' : 'type',
        ours: summarize(a),
        buildah: summarize(b),
      });
      covered = path;
      continue;
    }
    for (const field of fields) {
      if (a[field] !== b[field])
        out.push({ kind: 'tree', path, field, ours: a[field] ?? '-', buildah: b[field] ?? '-' });
    }
  }
  return out;
}

/** `path: field ours=… buildah=…` */
export function formatDifference(d: Difference): string {
  const where = d.kind === 'tree' ? `${d.path}: ${d.field}` : `config.${d.field}`;
  return `${where} ours=${d.ours} buildah=${d.buildah}`;
}
