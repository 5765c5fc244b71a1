import type { Readable } from 'node:stream';
import type { CopyItem } from '../../context/select-sources.js';
import { BuildStepError, type SourceLocation } from '../../errors.js';
import { decompressStream } from '../../oci/decompress.js';
import { isTarHeaderBlock } from '../../oci/tar/index.js';
import { readTar } from '../../oci/tar/reader.js';
import type { Owner } from '../file-owner.js';
import { cleanContainerPath, splitContainerPath } from '../rootfs/paths.js';
import type { EntryAttrs, UpperWriter } from '../rootfs/upper-writer.js';

export interface ArchiveItem {
  readonly open: () => Promise<Readable>;
  readonly name: string;
  /** The selection item it came from (local archives). */
  readonly source?: CopyItem;
}

/** A local ADD source is unpacked when, decompressed (gzip, bzip2, xz, zstd or none), it starts with a tar header. */
export async function isArchive(open: () => Promise<Readable>): Promise<boolean> {
  const stream = decompressStream(await open());
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const c of stream) {
      chunks.push(c as Buffer);
      length += (c as Buffer).length;
      if (length >= 512) break;
    }
  } catch {
    return false;
  } finally {
    stream.destroy();
  }
  const head = Buffer.concat(chunks);
  return head.length >= 512 && isTarHeaderBlock(head.subarray(0, 512));
}

export interface ArchiveWrite {
  readonly writer: UpperWriter;
  readonly items: readonly ArchiveItem[];
  readonly dest: string;
  readonly resolveDest: boolean;
  readonly owner: Owner | undefined;
  readonly epoch: number | undefined;
  readonly location: SourceLocation;
}

/**
 * Extracts archives into the destination directory. Paths stay inside it (`..` and absolute names are cleaned
 * against it, an escaping path is an error), an entry written through a symlink the archive itself created is
 * refused, hard links must point at earlier members, devices and FIFOs are refused; symlinks already in the image
 * are followed inside the image, as BuildKit's extraction does. --chown applies to every entry.
 */
export async function writeArchives(a: ArchiveWrite): Promise<void> {
  const view = a.writer.view;
  const destDir = a.resolveDest ? view.resolveSync(cleanContainerPath(a.dest)) : cleanContainerPath(a.dest);
  const created: EntryAttrs = {
    uid: a.owner?.uid ?? 0,
    gid: a.owner?.gid ?? 0,
    mode: 0o755,
    ...(a.epoch !== undefined ? { mtime: a.epoch } : {}),
  };
  await a.writer.mkdirp(destDir, created);
  for (const item of a.items) await extractOne(a, item, destDir, created);
}

async function extractOne(
  a: ArchiveWrite,
  item: ArchiveItem,
  destDir: string,
  created: EntryAttrs,
): Promise<void> {
  const view = a.writer.view;
  const archiveLinks = new Set<string>();
  const written = new Map<string, string>();
  const dirs: [string, EntryAttrs][] = [];
  const fail = (path: string, why: string): BuildStepError =>
    new BuildStepError(`ADD ${item.name}: archive entry ${JSON.stringify(path)} ${why}`, {
      location: a.location,
      hint: 'the archive is corrupt or hostile; nothing was extracted outside the image',
    });
  for await (const { header, body } of readTar(decompressStream(await item.open()))) {
    const rel = cleanMember(header.path);
    if (rel === undefined) throw fail(header.path, 'is outside the extraction root');
    if (rel === '') continue;
    const parts = rel.split('/');
    for (let i = 1; i < parts.length; i++) {
      if (archiveLinks.has(parts.slice(0, i).join('/')))
        throw fail(header.path, 'is written through a symbolic link of the same archive');
    }
    const parent = view.resolveSync(cleanContainerPath(`${destDir}/${parts.slice(0, -1).join('/')}`));
    const to = cleanContainerPath(`${parent}/${parts.at(-1)}`);
    const attrs: EntryAttrs = {
      uid: a.owner?.uid ?? header.uid,
      gid: a.owner?.gid ?? header.gid,
      mode: header.mode,
      mtime: header.mtime,
    };
    switch (header.type) {
      case 'directory':
        await a.writer.mkdirp(parent, created);
        await a.writer.directory(to, attrs, created);
        dirs.push([to, attrs]);
        break;
      case 'file':
        await a.writer.mkdirp(parent, created);
        await a.writer.writeFile(to, { stream: body }, attrs, created);
        break;
      case 'symlink':
        await a.writer.mkdirp(parent, created);
        await a.writer.symlink(to, header.linkname ?? '', attrs, created);
        archiveLinks.add(rel);
        break;
      case 'hardlink': {
        const target = cleanMember(header.linkname ?? '');
        const earlier = target === undefined ? undefined : written.get(target);
        if (earlier === undefined)
          throw fail(
            header.path,
            `is a hard link to something outside the archive (${header.linkname ?? ''})`,
          );
        await a.writer.mkdirp(parent, created);
        await a.writer.hardlink(to, earlier, created);
        break;
      }
      default:
        throw fail(
          header.path,
          `is a ${header.type === 'fifo' ? 'FIFO' : `${header.type} device`}, which ADD does not extract`,
        );
    }
    if (header.type !== 'symlink') archiveLinks.delete(rel);
    written.set(rel, to);
  }
  for (const [path, attrs] of dirs.reverse()) await a.writer.finishDirectory(path, attrs);
}

/** A member path relative to the extraction root; undefined when it climbs out. */
function cleanMember(raw: string): string | undefined {
  const out: string[] = [];
  for (const c of raw.split('/')) {
    if (c === '' || c === '.') continue;
    if (c === '..') {
      if (out.length === 0) return undefined;
      out.pop();
    } else out.push(c);
  }
  return splitContainerPath(out.join('/')).join('/');
}
