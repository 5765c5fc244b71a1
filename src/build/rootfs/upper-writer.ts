import { execFile } from 'node:child_process';
import { createReadStream, createWriteStream, type Stats } from 'node:fs';
import { chmod, lchown, link, lstat, lutimes, mkdir, rm, symlink, unlink, utimes } from 'node:fs/promises';
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

/**
 * Writes a step's changes into a fresh upper directory stacked on an image's layers, the way overlayfs would
 * record them: existing parent directories are copied up with their metadata, new entries are created with the
 * attributes given. Used for COPY, ADD and WORKDIR, which need no privileges beyond owning the files.
 */
export class UpperWriter {
  readonly view: LayeredFs;

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
    for (let i = 1; i <= parts.length; i++) {
      const sub = parts.slice(0, i);
      const e = await this.view.lstat('/' + sub.join('/'));
      if (e === undefined) {
        await mkdir(this.host(sub));
        await applyAttrs(this.host(sub), attrs, false);
      } else if (e.stats.isDirectory()) {
        if (e.layer !== 0) await this.copyUpDir(sub, e.stats);
      } else {
        throw new BuildStepError(
          `cannot create directory /${sub.join('/')}: a ${kindOf(e.stats)} is in the way`,
        );
      }
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
    if ('hostPath' in content) {
      await pipeline(createReadStream(content.hostPath), createWriteStream(dest, { mode: 0o600 }));
    } else if ('stream' in content) {
      await pipeline(content.stream, createWriteStream(dest, { mode: 0o600 }));
    } else {
      await pipeline(
        async function* () {
          yield typeof content.data === 'string' ? Buffer.from(content.data) : content.data;
        },
        createWriteStream(dest, { mode: 0o600 }),
      );
    }
    await applyAttrs(dest, attrs, false);
  }

  async symlink(
    path: string,
    target: string,
    attrs: EntryAttrs,
    parentAttrs: EntryAttrs = attrs,
  ): Promise<void> {
    const parts = await this.prepareParent(path, parentAttrs);
    await symlink(target, this.host(parts));
    await applyAttrs(this.host(parts), attrs, true);
  }

  /** A hard link to an entry this step already wrote (both paths container paths). */
  async hardlink(path: string, existing: string, parentAttrs: EntryAttrs): Promise<void> {
    const parts = await this.prepareParent(path, parentAttrs);
    const src = splitContainerPath(existing);
    await link(this.host(src), this.host(parts));
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
    await applyAttrs(dest, attrs, false);
  }

  /** Creates (or copies up) a directory entry at exactly this path and gives it `attrs`. */
  async directory(path: string, attrs: EntryAttrs, parentAttrs: EntryAttrs = attrs): Promise<void> {
    const parts = splitContainerPath(path);
    const e = await this.view.lstat('/' + parts.join('/'));
    if (e && !e.stats.isDirectory()) {
      await this.prepareParent(path, parentAttrs);
    } else {
      await this.mkdirp('/' + parts.slice(0, -1).join('/'), parentAttrs);
    }
    const dest = this.host(parts);
    await mkdir(dest, { recursive: true });
    await applyAttrs(dest, attrs, false);
  }

  /** Sets the attributes of a directory after its contents were written (contents change its mtime). */
  async finishDirectory(path: string, attrs: EntryAttrs): Promise<void> {
    await applyAttrs(this.host(splitContainerPath(path)), attrs, false);
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
    const dest = this.host(parts);
    const st = await lstat(dest).catch(() => undefined);
    if (!st) return;
    if (st.isDirectory()) await rm(dest, { recursive: true, force: true });
    else await unlink(dest);
  }
}

async function applyAttrs(p: string, a: EntryAttrs, isLink: boolean): Promise<void> {
  await lchown(p, a.uid, a.gid);
  if (!isLink) await chmod(p, a.mode & 0o7777);
  if (a.mtime !== undefined) {
    if (isLink) await lutimes(p, a.mtime, a.mtime);
    else await utimes(p, a.mtime, a.mtime);
  }
}

function kindOf(st: Stats): string {
  if (st.isSymbolicLink()) return 'symbolic link';
  if (st.isFile()) return 'file';
  return 'special file';
}
