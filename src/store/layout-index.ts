import { link, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InternalError } from '../errors.js';
import { encodeIndex, ManifestFormatError, parseImageIndex } from '../oci/manifest-codec.js';
import { MediaType } from '../oci/media-types.js';
import type { Descriptor, ImageIndex } from '../oci/types.js';
import { isNotFound, syncPath } from './blob-files.js';
import { tempFileName } from './temp-files.js';
import type { StoredRef } from './types.js';

/** The annotation that names an image in an OCI layout's index.json (what `skopeo … oci:DIR:NAME` matches). */
export const refNameAnnotation = 'org.opencontainers.image.ref.name';

/** The content of the `oci-layout` file. */
export const ociLayoutContent = '{"imageLayoutVersion":"1.0.0"}';

export const emptyIndex: ImageIndex = { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [] };

/**
 * Reference names: the image-spec grammar (`component ("/" component)*`, components of alphanumerics joined by
 * `-._:@+` or `--`), plus `_` inside components, because Docker tags (`[\w][\w.-]*`) allow it.
 */
const refNamePattern =
  /^[A-Za-z0-9_]+(?:(?:[-._:@+]|--)[A-Za-z0-9_]+)*(?:\/[A-Za-z0-9_]+(?:(?:[-._:@+]|--)[A-Za-z0-9_]+)*)*$/;

export function checkRefName(name: string): void {
  if (name.length > 1024 || !refNamePattern.test(name)) {
    throw new InternalError(`invalid image name ${JSON.stringify(name)} for the local image store`, {
      hint: 'use letters, digits and . _ - : @ + / (e.g. app:1.0 or ghcr.io/owner/app:1.0)',
    });
  }
}

export function refNameOf(d: Descriptor): string | undefined {
  return d.annotations?.[refNameAnnotation];
}

export function refsOf(index: ImageIndex): StoredRef[] {
  const out: StoredRef[] = [];
  for (const descriptor of index.manifests) {
    const name = refNameOf(descriptor);
    if (name !== undefined) out.push({ name, descriptor });
  }
  return out;
}

/** A new index with `name` pointing at `descriptor` (earlier entries of that name removed). */
export function withTag(index: ImageIndex, name: string, descriptor: Descriptor): ImageIndex {
  const entry: Descriptor = {
    ...descriptor,
    annotations: { ...descriptor.annotations, [refNameAnnotation]: name },
  };
  return { ...index, manifests: [...withoutTag(index, name).manifests, entry] };
}

export function withoutTag(index: ImageIndex, name: string): ImageIndex {
  return { ...index, manifests: index.manifests.filter((d) => refNameOf(d) !== name) };
}

export async function readLayoutIndex(root: string): Promise<ImageIndex> {
  const path = join(root, 'index.json');
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    if (isNotFound(err)) return emptyIndex;
    throw err;
  }
  try {
    return parseImageIndex(bytes, { source: path, mediaType: MediaType.ociIndex });
  } catch (err) {
    if (!(err instanceof ManifestFormatError)) throw err;
    throw new InternalError(`the image store's index is corrupt: ${err.message}`, {
      hint: `fix or delete ${path} (deleting it forgets the stored image names)`,
      cause: err,
    });
  }
}

/** Replaces index.json atomically (temp file, fsync, rename, fsync of the directory). */
export async function writeLayoutIndex(root: string, tempDir: string, index: ImageIndex): Promise<void> {
  const temp = join(tempDir, tempFileName('index'));
  try {
    await writeFile(temp, encodeIndex(index), { mode: 0o644, flush: true });
    await rename(temp, join(root, 'index.json'));
    await syncPath(root);
  } finally {
    await rm(temp, { force: true });
  }
}

/** Creates `name` in `root` with `content` unless it exists (atomic: concurrent creators never clobber). */
export async function createFileOnce(
  root: string,
  tempDir: string,
  name: string,
  content: Uint8Array,
): Promise<void> {
  const temp = join(tempDir, tempFileName('init'));
  try {
    await writeFile(temp, content, { mode: 0o644, flush: true });
    await link(temp, join(root, name));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    await rm(temp, { force: true });
  }
}
