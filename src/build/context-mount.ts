import { constants } from 'node:fs';
import { chmod, copyFile, lchown, mkdir, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { SourceLocation } from '../errors.js';
import type { BuildContext } from '../context/build-context.js';
import type { ContextEntry } from '../context/context-entry.js';
import { checksumSelection } from '../context/checksum.js';
import { selectSources, type Selection } from '../context/select-sources.js';
import type { Digest } from '../oci/digest.js';

/** What `RUN --mount=type=bind` (from the context) selects: the same rules as a COPY source. */
export async function selectContextPath(
  ctx: BuildContext,
  source: string,
  location: SourceLocation,
): Promise<{ selection: Selection; checksum: Digest }> {
  const selection = await selectSources(ctx, { sources: [source], instruction: 'COPY', location });
  return { selection, checksum: await checksumSelection(ctx, selection) };
}

/**
 * A private copy of the part of the build context a bind mount shows — only what .dockerignore lets through,
 * owned by root as BuildKit's context is — so the RUN step cannot see ignored files or change the originals.
 * Returns the directory to mount (a single-file source is placed in a directory of its own: `file`).
 */
export async function materializeContext(
  ctx: BuildContext,
  source: string,
  dest: string,
  location: SourceLocation,
): Promise<{ readonly dir: string; readonly file?: string }> {
  const { selection } = await selectContextPath(ctx, source, location);
  await mkdir(dest, { recursive: true, mode: 0o755 });
  for (const item of selection.items) {
    if (item.kind === 'contents') {
      await chmod(dest, item.dir.mode);
      for (const e of item.entries) await place(ctx, e.entry, join(dest, e.destPath));
    } else {
      await place(ctx, item.entry, join(dest, item.name));
      return { dir: dest, file: item.name };
    }
  }
  return { dir: dest };
}

async function place(ctx: BuildContext, e: ContextEntry, to: string): Promise<void> {
  await mkdir(dirname(to), { recursive: true });
  switch (e.type) {
    case 'dir':
      await mkdir(to, { recursive: true });
      await chmod(to, e.mode);
      break;
    case 'file':
      await copyFile(join(ctx.root, e.path), to, constants.COPYFILE_FICLONE);
      await chmod(to, e.mode);
      break;
    case 'symlink':
      await symlink(e.linkTarget, to);
      break;
    default:
      return;
  }
  await lchown(to, 0, 0);
}
