import type { TarEntry, TarHeader } from '../../oci/tar/types.js';
import { TarWriter } from '../../oci/tar/writer.js';
import { readTar } from '../../oci/tar/reader.js';
import { BuildStepError } from '../../errors.js';
import { startHostProcess } from '../host-command.js';
import type { Privilege } from './privilege.js';
import { pipeline } from 'node:stream/promises';

const whiteoutPrefix = '.wh.';
const opaqueMarker = '.wh..wh..opq';

export interface UnpackRequest {
  /** An empty directory that becomes the layer directory. */
  readonly dir: string;
  /** The uncompressed layer tar. */
  readonly tar: AsyncIterable<Uint8Array>;
  /** Names the layer in errors (`layer sha256:… of alpine:3.20`). */
  readonly what: string;
  readonly privilege: Privilege;
  readonly hostEnv: Readonly<Record<string, string>>;
}

/**
 * Unpacks an OCI layer tar into a directory in overlay format: `.wh.<name>` files become char 0/0 whiteout
 * devices, `.wh..wh..opq` makes its directory opaque. Entries are checked first — a path that is absolute after
 * cleaning, climbs with `..`, passes through a symlink of the same archive, or a hardlink to something not in the
 * archive is refused — and GNU tar (which can create device nodes and set xattrs, unlike Node) writes the files.
 * Returns the opaque directories.
 */
export async function unpackLayer(req: UnpackRequest): Promise<{ opaque: string[] }> {
  const gnuTar = startHostProcess(
    req.privilege.wrap([
      'tar',
      '--extract',
      '--file=-',
      `--directory=${req.dir}`,
      '--numeric-owner',
      '--same-owner',
      '--same-permissions',
      '--xattrs',
      '--xattrs-include=*',
      '--delay-directory-restore',
      '--no-unquote',
    ]),
    req.hostEnv,
    `unpacking ${req.what}`,
  );
  const writer = new TarWriter();
  const opaque: string[] = [];
  const feed = pipeline(writer.stream, gnuTar.stdin);
  try {
    for await (const e of sanitizeLayer(
      readTar(req.tar),
      req.what,
      opaque,
      req.privilege.overlayXattrPrefix,
    )) {
      await writer.add(e.header, e.header.type === 'file' ? e.body : undefined);
    }
    await writer.finish();
    await feed;
    await gnuTar.done;
  } catch (err) {
    gnuTar.kill();
    writer.stream.destroy();
    await feed.catch(() => undefined);
    throw err;
  }
  return { opaque };
}

/** Cleans a layer-relative path; undefined for the root itself; throws for paths that leave the root. */
export function cleanLayerPath(raw: string, what: string): string | undefined {
  const parts: string[] = [];
  for (const c of raw.split('/')) {
    if (c === '' || c === '.') continue;
    if (c === '..') throw hostile(what, raw, 'climbs out of the root with ..');
    parts.push(c);
  }
  return parts.length === 0 ? undefined : parts.join('/');
}

function hostile(what: string, path: string, why: string): BuildStepError {
  return new BuildStepError(`${what} has an entry that ${why}: ${JSON.stringify(path)}`, {
    hint: 'the archive is corrupt or hostile; nothing was written outside the build directory',
  });
}

async function* sanitizeLayer(
  entries: AsyncIterable<TarEntry>,
  what: string,
  opaque: string[],
  overlayPrefix: string,
): AsyncGenerator<TarEntry> {
  const symlinks = new Set<string>();
  const nonDirs = new Set<string>();
  const dirs = new Map<string, TarHeader>();
  for await (const { header, body } of entries) {
    const path = cleanLayerPath(header.path, what);
    if (path === undefined) continue;
    for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) {
      if (symlinks.has(path.slice(0, i)))
        throw hostile(what, header.path, 'is written through a symbolic link of the same archive');
    }
    const slash = path.lastIndexOf('/');
    const parent = slash < 0 ? '' : path.slice(0, slash);
    const base = path.slice(slash + 1);
    if (base === opaqueMarker) {
      if (parent === '')
        throw hostile(what, header.path, 'makes the root directory opaque, which overlayfs cannot express');
      opaque.push(parent);
      const d = dirs.get(parent);
      yield { header: opaqueDir(parent, d, overlayPrefix), body: empty() };
      continue;
    }
    if (base.startsWith(whiteoutPrefix)) {
      const target = (parent ? parent + '/' : '') + base.slice(whiteoutPrefix.length);
      yield {
        header: {
          path: target,
          type: 'char',
          mode: 0,
          uid: 0,
          gid: 0,
          size: 0,
          mtime: 0,
          devmajor: 0,
          devminor: 0,
        },
        body: empty(),
      };
      continue;
    }
    const clean: TarHeader = { ...header, path, xattrs: keepXattrs(header.xattrs) };
    if (header.type === 'hardlink') {
      const target = cleanLayerPath(header.linkname ?? '', what);
      if (target === undefined || !nonDirs.has(target))
        throw hostile(
          what,
          header.path,
          `is a hard link to something outside the archive (${header.linkname ?? ''})`,
        );
      yield { header: { ...clean, linkname: target }, body: empty() };
      nonDirs.add(path);
      continue;
    }
    if (header.type === 'directory') dirs.set(path, clean);
    else nonDirs.add(path);
    if (header.type === 'symlink') symlinks.add(path);
    else symlinks.delete(path);
    yield { header: clean, body };
  }
}

/** overlay-internal and host-specific attributes never come from an archive. */
function keepXattrs(x: TarHeader['xattrs']): TarHeader['xattrs'] {
  if (!x) return undefined;
  const out: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries(x)) {
    if (k.startsWith('trusted.') || k.startsWith('user.overlay.') || k === 'security.selinux') continue;
    out[k] = v;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function opaqueDir(path: string, d: TarHeader | undefined, overlayPrefix: string): TarHeader {
  const xattrs = { ...(d?.xattrs ?? {}), [`${overlayPrefix}opaque`]: Buffer.from('y') };
  return {
    path,
    type: 'directory',
    mode: d?.mode ?? 0o755,
    uid: d?.uid ?? 0,
    gid: d?.gid ?? 0,
    size: 0,
    mtime: d?.mtime ?? 0,
    xattrs,
  };
}

async function* empty(): AsyncGenerator<Buffer> {}
