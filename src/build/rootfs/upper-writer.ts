import { execFile } from 'node:child_process';
import { createReadStream, createWriteStream, type Stats } from 'node:fs';
import {
  chmod,
  lchown,
  link,
  lstat,
  lutimes,
  mkdir,
  rm,
  symlink,
  unlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { BuildStepError } from '../../errors.js';
import { LayeredFs, type LayerDir } from './layered-fs.js';
import { splitContainerPath } from './paths.js';

/** Ownership, permissions and time given to something written into the image. */
export interface EntryAttrs {
  readonly uid: number;
  readonly gid: number;
  /** Permission bits incl. setuid/setgid/sticky (07777). */
  readonly mode: number;
  /** Seconds since the epoch (fractions allowed); omitted = now. */
  readonly mtime?: number;
}

export type FileContent =
  | { readonly hostPath: string }
  | { readonly data: Uint8Array | string }
  | { readonly stream: AsyncIterable<Uint8Array> };

/** The owner and umask new files get without asking: attributes equal to these need no syscall. */
const self = {
  uid: process.geteuid?.() ?? 0,
  gid: process.getegid?.() ?? 0,
  umask: process.umask(),
};

/**
 * Writes a step's changes into a fresh upper directory stacked on an image's layers, the way overlayfs would
 * record them: existing parent directories are copied up with their metadata, new entries are created with the
 * attributes given. Used for COPY, ADD and WORKDIR, which need no privileges beyond owning the files.
 * Directories it has made sure of and paths it has written are remembered, so copying thousands of files does
 * not look the same parents up again and again.
 */
export class UpperWriter {
  readonly view: LayeredFs;
  /** Container paths (no leading '/') known to be directories in the upper dir. */
  private readonly dirs = new Set<string>(['']);
  /** Container paths this writer created a non-directory at. */
  private readonly written = new Set<string>();

  constructor(
    readonly upper: string,
    below: readonly LayerDir[],
  ) {
    this.view = new LayeredFs([{ dir: upper, opaque: new Set() }, ...below]);
  }

  private host(parts: readonly string[]): string {
    return join(this.upper, ...parts);
  }

  /**
   * Makes every component of a (symlink-resolved) container path a directory: existing ones are copied up,
   * missing ones are created with `attrs`. A non-directory in the way is an error naming the path.
   */
  async mkdirp(path: string, attrs: EntryAttrs): Promise<void> {
    const parts = splitContainerPath(path);
    if (this.dirs.has(parts.join('/'))) return;
    for (let i = 1; i <= parts.length; i++) {
      const sub = parts.slice(0, i);
      const key = sub.join('/');
      if (this.dirs.has(key)) continue;
      const e = this.view.lstatSync('/' + key);
      if (e === undefined) {
        await mkdir(this.host(sub), { mode: attrs.mode & 0o7777 });
        await applyAttrs(this.host(sub), attrs, 'new');
      } else if (e.stats.isDirectory()) {
        if (e.layer !== 0) await this.copyUpDir(sub, e.stats);
      } else {
        throw new BuildStepError(`cannot create directory /${key}: a ${kindOf(e.stats)} is in the way`);
      }
      this.dirs.add(key);
      this.view.invalidate(key);
    }
  }

  /** Ensures the parent directories of an entry exist in the upper dir (copying up existing ones). */
  async prepareParent(path: string, attrs: EntryAttrs): Promise<string[]> {
    const parts = splitContainerPath(path);
    if (parts.length === 0) throw new BuildStepError('cannot replace the root directory of the image');
    await this.mkdirp('/' + parts.slice(0, -1).join('/'), attrs);
    await this.clearUpper(parts);
    return parts;
  }

  async writeFile(
    path: string,
    content: FileContent,
    attrs: EntryAttrs,
    parentAttrs: EntryAttrs = attrs,
  ): Promise<void> {
    const parts = await this.prepareParent(path, parentAttrs);
    const dest = this.host(parts);
    const mode = attrs.mode & 0o7777;
    if ('data' in content) {
      await writeFile(dest, content.data, { mode, flag: 'wx' });
    } else {
      const source = 'hostPath' in content ? createReadStream(content.hostPath) : content.stream;
      await pipeline(source, createWriteStream(dest, { mode, flags: 'wx' }));
    }
    await applyAttrs(dest, attrs, 'new');
    this.wrote(parts);
  }

  async symlink(
    path: string,
    target: string,
    attrs: EntryAttrs,
    parentAttrs: EntryAttrs = attrs,
  ): Promise<void> {
    const parts = await this.prepareParent(path, parentAttrs);
    await symlink(target, this.host(parts));
    await applyAttrs(this.host(parts), attrs, 'link');
    this.wrote(parts);
  }

  /** A hard link to an entry this step already wrote (both paths container paths). */
  async hardlink(path: string, existing: string, parentAttrs: EntryAttrs): Promise<void> {
    const parts = await this.prepareParent(path, parentAttrs);
    await link(this.host(splitContainerPath(existing)), this.host(parts));
    this.wrote(parts);
  }

  /** A device node or FIFO (needs root: mknod). */
  async special(
    path: string,
    kind: 'char' | 'block' | 'fifo',
    major: number,
    minor: number,
    attrs: EntryAttrs,
    parentAttrs: EntryAttrs,
  ): Promise<void> {
    const parts = await this.prepareParent(path, parentAttrs);
    const dest = this.host(parts);
    const argv =
      kind === 'fifo'
        ? ['mkfifo', dest]
        : ['mknod', dest, kind === 'char' ? 'c' : 'b', String(major), String(minor)];
    await new Promise<void>((resolve, reject) => {
      execFile(argv[0]!, argv.slice(1), (err) =>
        err ? reject(new BuildStepError(`cannot create ${kind} ${path}: ${err.message}`)) : resolve(),
      );
    });
    await applyAttrs(dest, attrs, 'existing');
    this.wrote(parts);
  }

  /** Creates (or copies up) a directory entry at exactly this path and gives it `attrs`. */
  async directory(path: string, attrs: EntryAttrs, parentAttrs: EntryAttrs = attrs): Promise<void> {
    const parts = splitContainerPath(path);
    const key = parts.join('/');
    if (!this.dirs.has(key)) {
      const e = this.view.lstatSync('/' + key);
      if (e && !e.stats.isDirectory()) await this.prepareParent(path, parentAttrs);
      else await this.mkdirp('/' + parts.slice(0, -1).join('/'), parentAttrs);
      const dest = this.host(parts);
      await mkdir(dest, { recursive: true, mode: attrs.mode & 0o7777 });
      this.dirs.add(key);
      this.view.invalidate(key);
    }
    await applyAttrs(this.host(parts), attrs, 'existing');
  }

  /** Sets the attributes of a directory after its contents were written (contents change its mtime). */
  async finishDirectory(path: string, attrs: EntryAttrs): Promise<void> {
    await applyAttrs(this.host(splitContainerPath(path)), attrs, 'existing');
  }

  private wrote(parts: readonly string[]): void {
    const key = parts.join('/');
    this.written.add(key);
    this.view.invalidate(key);
  }

  private async copyUpDir(parts: readonly string[], st: Stats): Promise<void> {
    const dest = this.host(parts);
    await mkdir(dest);
    await lchown(dest, st.uid, st.gid);
    await chmod(dest, st.mode & 0o7777);
    await utimes(dest, st.atime, st.mtime);
  }

  /** Removes whatever this step wrote earlier at the path, so a new entry can take its place. */
  private async clearUpper(parts: readonly string[]): Promise<void> {
    const key = parts.join('/');
    if (!this.written.has(key) && !this.dirs.has(key)) return;
    const dest = this.host(parts);
    const st = await lstat(dest).catch(() => undefined);
    this.written.delete(key);
    this.view.invalidate(key);
    if (!st) return;
    if (st.isDirectory()) {
      await rm(dest, { recursive: true, force: true });
      for (const d of [...this.dirs]) if (d === key || d.startsWith(`${key}/`)) this.dirs.delete(d);
    } else await unlink(dest);
  }
}

/**
 * Gives an entry its owner, permissions and time. A `new` file or directory was created with the mode already
 * (open/mkdir apply it minus the umask), so chmod is needed only when the umask or special bits interfere, and
 * chown only for an owner other than ours. chown always comes before chmod (it clears setuid/setgid).
 */
async function applyAttrs(p: string, a: EntryAttrs, kind: 'new' | 'existing' | 'link'): Promise<void> {
  const mode = a.mode & 0o7777;
  const chowned = a.uid !== self.uid || a.gid !== self.gid;
  if (chowned || kind === 'existing') await lchown(p, a.uid, a.gid);
  if (kind !== 'link' && (kind === 'existing' || chowned || (mode & ~self.umask) !== mode || mode > 0o777))
    await chmod(p, mode);
  if (a.mtime !== undefined) {
    if (kind === 'link') await lutimes(p, a.mtime, a.mtime);
    else await utimes(p, a.mtime, a.mtime);
  }
}

function kindOf(st: Stats): string {
  if (st.isSymbolicLink()) return 'symbolic link';
  if (st.isFile()) return 'file';
  return 'special file';
}
