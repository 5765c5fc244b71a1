import { BuildStepError, type SourceLocation } from '../../errors.js';
import type { ContextEntry } from '../../context/context-entry.js';
import type { CopyEntry } from '../../context/copy-walk.js';
import type { Selection } from '../../context/select-sources.js';
import { mapBounded } from '../../registry/bounded.js';
import type { SourceTree } from '../../context/source-tree.js';
import type { ModeChange } from '../chmod.js';
import type { Owner } from '../file-owner.js';
import { cleanContainerPath, splitContainerPath } from '../rootfs/paths.js';
import type { EntryAttrs, UpperWriter } from '../rootfs/upper-writer.js';

/** One COPY/ADD heredoc or downloaded file: content plus the name it gets in a directory destination. */
export interface ExtraFile {
  readonly name: string;
  readonly content: { readonly data: string | Uint8Array } | { readonly hostPath: string };
  readonly mode: number;
  /** mtime in seconds (ADD of a URL keeps Last-Modified); undefined = now. */
  readonly mtime?: number;
}

export interface CopyPlan {
  readonly writer: UpperWriter;
  readonly tree: SourceTree;
  readonly selection: Selection;
  readonly extras: readonly ExtraFile[];
  /** The destination as written (after expansion), resolved against WORKDIR: trailing '/' kept. */
  readonly dest: string;
  /** Follow symlinks in the destination inside the image (false for --link). */
  readonly resolveDest: boolean;
  /** --chown, resolved against the destination image; undefined keeps the source owner. */
  readonly owner: Owner | undefined;
  /** Owner of files from the build context when no --chown is given (BuildKit resets them to 0:0). */
  readonly treeOwner: 'root' | 'preserve';
  readonly chmod: ModeChange | undefined;
  /** SOURCE_DATE_EPOCH: every copied entry and created directory gets this time. */
  readonly epoch: number | undefined;
  readonly location: SourceLocation;
}

/** Files up to this size are copied from memory (the build context keeps those it hashed). */
const smallFile = 1 << 20;

/** Writes a COPY's selection into the step's upper dir with fsutil's copy rules (docs/buildkit-semantics.md §3). */
export async function writeCopy(p: CopyPlan): Promise<void> {
  const view = p.writer.view;
  const dirSyntax = /\/\.?$/.test(p.dest) || p.dest === '.';
  const dest = p.resolveDest ? view.resolveSync(cleanContainerPath(p.dest)) : cleanContainerPath(p.dest);
  const created: EntryAttrs = {
    uid: p.owner?.uid ?? 0,
    gid: p.owner?.gid ?? 0,
    mode: 0o755,
    ...(p.epoch !== undefined ? { mtime: p.epoch } : {}),
  };
  const dirsToFinish: [string, EntryAttrs][] = [];
  const destIsDir = (): boolean => dirSyntax || (view.lstatSync(dest)?.stats.isDirectory() ?? false);
  for (const item of p.selection.items) {
    if (item.kind === 'contents') {
      await p.writer.mkdirp(dest, created);
      await writeContents(p, item.entries, dest, created, dirsToFinish);
    } else {
      const to = destIsDir() ? join(dest, item.name) : dest;
      await p.writer.mkdirp(parentOf(to), created);
      await writeEntry(p, item.entry, to, created, dirsToFinish);
    }
  }
  for (const extra of p.extras) {
    const to = destIsDir() ? join(dest, extra.name) : dest;
    await p.writer.mkdirp(parentOf(to), created);
    refuseDirectoryTarget(p, to);
    const mode = p.chmod ? p.chmod(extra.mode, false) : extra.mode;
    const mtime = p.epoch ?? extra.mtime;
    await p.writer.writeFile(
      to,
      extra.content,
      { uid: created.uid, gid: created.gid, mode, ...(mtime !== undefined ? { mtime } : {}) },
      created,
    );
  }
  for (const [path, attrs] of dirsToFinish.reverse()) await p.writer.finishDirectory(path, attrs);
}

/** Files written at once: the writes are latency-bound (open, write, close, utimes), not CPU-bound. */
const fileWriteConcurrency = 16;

/**
 * A directory's contents: directories first, in walk order (parents before children); then the files, links and
 * special files, several at a time (their parents exist by then); then the hard links to files written here.
 */
async function writeContents(
  p: CopyPlan,
  entries: readonly CopyEntry[],
  dest: string,
  created: EntryAttrs,
  dirs: [string, EntryAttrs][],
): Promise<void> {
  for (const e of entries)
    if (e.entry.type === 'dir') await writeEntry(p, e.entry, join(dest, e.destPath), created, dirs);
  const others = entries.filter((e) => e.entry.type !== 'dir' && e.hardlinkTo === undefined);
  await mapBounded(others, fileWriteConcurrency, (e) =>
    writeEntry(p, e.entry, join(dest, e.destPath), created, dirs),
  );
  for (const e of entries) {
    if (e.hardlinkTo !== undefined)
      await p.writer.hardlink(join(dest, e.destPath), join(dest, e.hardlinkTo), created);
  }
}

async function writeEntry(
  p: CopyPlan,
  e: ContextEntry,
  to: string,
  created: EntryAttrs,
  dirs: [string, EntryAttrs][],
): Promise<void> {
  const uid = p.owner?.uid ?? (p.treeOwner === 'root' ? 0 : e.uid);
  const gid = p.owner?.gid ?? (p.treeOwner === 'root' ? 0 : e.gid);
  const isDir = e.type === 'dir';
  const mode = p.chmod && e.type !== 'symlink' ? p.chmod(e.mode, isDir) : e.mode;
  const mtime = p.epoch ?? Number(e.mtimeNs) / 1e9;
  const attrs: EntryAttrs = { uid, gid, mode, mtime };
  const existing = p.writer.view.lstatSync(to);
  switch (e.type) {
    case 'dir':
      if (existing && !existing.stats.isDirectory())
        throw new BuildStepError(`cannot copy to non-directory: ${to}`, { location: p.location });
      await p.writer.directory(to, attrs, created);
      dirs.push([to, attrs]);
      return;
    case 'file': {
      refuseDirectoryTarget(p, to);
      const content =
        e.size <= smallFile ? { data: await p.tree.readFile(e) } : { stream: await p.tree.openFile(e) };
      await p.writer.writeFile(to, content, attrs, created);
      return;
    }
    case 'symlink':
      refuseDirectoryTarget(p, to);
      await p.writer.symlink(to, e.linkTarget, attrs, created);
      return;
    case 'char-device':
    case 'block-device':
      refuseDirectoryTarget(p, to);
      await p.writer.special(
        to,
        e.type === 'char-device' ? 'char' : 'block',
        e.devMajor,
        e.devMinor,
        attrs,
        created,
      );
      return;
    case 'fifo':
      refuseDirectoryTarget(p, to);
      await p.writer.special(to, 'fifo', 0, 0, attrs, created);
      return;
  }
}

function refuseDirectoryTarget(p: CopyPlan, to: string): void {
  if (p.writer.view.lstatSync(to)?.stats.isDirectory()) {
    throw new BuildStepError(`cannot replace to directory ${to} with file`, { location: p.location });
  }
}

function join(dir: string, rel: string): string {
  return cleanContainerPath(`${dir}/${rel}`);
}

function parentOf(path: string): string {
  return '/' + splitContainerPath(path).slice(0, -1).join('/');
}
