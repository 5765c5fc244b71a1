/**
 * Writes a stored image to an `--output` target: an OCI image layout directory (blobs copied from the work
 * store, the image named by each tag), a docker-archive tar, or an OCI archive tar.
 */
import { mkdir, readdir, rmdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { InputError } from '../errors.js';
import { familiarReference, type Reference } from '../registry/reference.js';
import { exportDockerArchive, exportOciArchive, openStore } from '../store/index.js';
import type { ImageStore } from '../store/types.js';
import type { Descriptor } from '../oci/types.js';
import type { OutputTarget } from './output-target.js';

/** A single-platform image: its manifest and the blobs it references (config first, then layers). */
export interface ImageBlobs {
  readonly manifest: Descriptor;
  readonly blobs: readonly Descriptor[];
}

/**
 * The names an image gets in an OCI layout: the tag of each `-t` reference (`hello:dev` → `dev`), as BuildKit's
 * OCI exporter names them, or `latest` when there are none.
 */
export function layoutNames(tags: readonly Reference[]): string[] {
  const names = tags.map((t) => t.tag ?? 'latest');
  return names.length > 0 ? [...new Set(names)] : ['latest'];
}

export async function writeOutput(
  target: OutputTarget,
  store: ImageStore,
  image: ImageBlobs,
  tags: readonly Reference[],
): Promise<void> {
  switch (target.kind) {
    case 'oci':
      await copyToLayout(store, image, target.path, layoutNames(tags));
      return;
    case 'docker':
      await mkdir(dirname(target.path), { recursive: true });
      await exportDockerArchive(store, image.manifest, target.path, {
        repoTags: tags.map((t) => familiarReference({ ...t, tag: t.tag ?? 'latest' })),
      });
      return;
    case 'oci-archive':
      await mkdir(dirname(target.path), { recursive: true });
      await exportOciArchive(store, image.manifest, target.path);
      return;
  }
}

/**
 * Fails before the build when an output cannot be written: an `oci:` directory that holds other files, or an
 * archive path that is a directory.
 */
export async function checkOutputTarget(target: OutputTarget): Promise<void> {
  const st = await stat(target.path).catch(() => undefined);
  if (!st) return;
  if (target.kind !== 'oci') {
    if (st.isDirectory())
      throw new InputError('--output', `${JSON.stringify(target.path)} is a directory`, {
        hint: `give a file name for ${target.kind}:`,
      });
    return;
  }
  if (!st.isDirectory())
    throw new InputError('--output', `${JSON.stringify(target.path)} is not a directory`, {
      hint: 'give a new directory for oci:',
    });
  const names = await readdir(target.path);
  if (names.length > 0 && !names.includes('oci-layout'))
    throw new InputError(
      '--output',
      `${JSON.stringify(target.path)} holds other files and is not an OCI image layout`,
      {
        hint: 'give a new or empty directory, or an existing OCI layout',
      },
    );
}

/** Copies the image's blobs into the layout at `dir` (created if missing) and names it. */
export async function copyToLayout(
  from: ImageStore,
  image: ImageBlobs,
  dir: string,
  names: readonly string[],
): Promise<void> {
  let layout: ImageStore;
  try {
    layout = await openStore(dir);
  } catch (err) {
    throw new InputError(
      '--output',
      `cannot use ${JSON.stringify(dir)} as an OCI image layout: ${(err as Error).message}`,
      {
        hint: 'give a new or empty directory, or an existing OCI layout',
        cause: err,
      },
    );
  }
  for (const blob of [...image.blobs, image.manifest]) {
    if (await layout.has(blob.digest)) continue;
    await layout.putStream(from.open(blob.digest), { digest: blob.digest, size: blob.size });
  }
  for (const name of names) await layout.tag(name, image.manifest);
  // The store's temp directory is empty now: leave a plain OCI layout (rmdir fails, harmlessly, if it is not).
  await rmdir(join(dir, '.ingest')).catch(() => undefined);
}
