/**
 * Synthetic images for tests: layers are real tars written by our TarWriter from a small file list, compressed
 * with Node's zlib, stored in a real store, assembled with ImageDraft. Reusable by any suite that needs an image
 * in a store (push, cache, builder, export).
 *
 *   const image = await buildTestImage(store, { layers: [[file('etc/a', 'x')], [whiteout('etc/a')]], tag: 'app:1' });
 */
import zlib from 'node:zlib';
import { sha256 } from '../../src/oci/digest.js';
import type { Image, ImageFamily, Layer } from '../../src/oci/image.js';
import { ImageDraft } from '../../src/oci/image-draft.js';
import { layerMediaType, type LayerCompression } from '../../src/oci/media-types.js';
import { tarStream } from '../../src/oci/tar/writer.js';
import type { TarHeader } from '../../src/oci/tar/types.js';
import type { ContainerConfig, Platform } from '../../src/oci/types.js';
import type { ImageStore } from '../../src/store/types.js';

/** One tar entry of a test layer: a header plus the body of a file. */
export interface TestEntry {
  readonly header: TarHeader;
  readonly body?: Buffer;
}

const mtime = 1_700_000_000;

export function file(
  path: string,
  content: string | Buffer,
  mode = 0o644,
  owner = { uid: 0, gid: 0 },
): TestEntry {
  const body = typeof content === 'string' ? Buffer.from(content) : content;
  return { header: { path, type: 'file', mode, ...owner, size: body.length, mtime }, body };
}

export function dir(path: string, mode = 0o755): TestEntry {
  return { header: { path, type: 'directory', mode, uid: 0, gid: 0, size: 0, mtime } };
}

export function symlink(path: string, target: string): TestEntry {
  return { header: { path, type: 'symlink', mode: 0o777, uid: 0, gid: 0, size: 0, mtime, linkname: target } };
}

export function hardlink(path: string, target: string): TestEntry {
  return {
    header: { path, type: 'hardlink', mode: 0o644, uid: 0, gid: 0, size: 0, mtime, linkname: target },
  };
}

/** An OCI whiteout deleting `path` from the layers below. */
export function whiteout(path: string): TestEntry {
  const slash = path.lastIndexOf('/');
  const name = `${path.slice(0, slash + 1)}.wh.${path.slice(slash + 1)}`;
  return {
    header: { path: name, type: 'file', mode: 0o644, uid: 0, gid: 0, size: 0, mtime: 0 },
    body: Buffer.alloc(0),
  };
}

/** An opaque-directory marker: hides everything the layers below have in `path`. */
export function opaque(path: string): TestEntry {
  return file(`${path}/.wh..wh..opq`, '', 0o644);
}

/** The layer tar bytes for `entries` (written in the given order). */
export async function layerTar(entries: readonly TestEntry[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of tarStream(entries)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export function compress(tar: Buffer, compression: LayerCompression): Buffer {
  if (compression === 'gzip') return zlib.gzipSync(tar);
  if (compression === 'zstd') return zlib.zstdCompressSync(tar);
  return tar;
}

export interface StoredTestLayer extends Layer {
  readonly tar: Buffer;
  readonly blob: Buffer;
}

/** Writes one layer blob to the store and describes it. */
export async function storeLayer(
  store: ImageStore,
  entries: readonly TestEntry[],
  compression: LayerCompression = 'gzip',
  family: ImageFamily = 'oci',
): Promise<StoredTestLayer> {
  const tar = await layerTar(entries);
  const blob = compress(tar, compression);
  await store.put(blob, { digest: sha256(blob), size: blob.length });
  const descriptor = {
    mediaType: layerMediaType(compression, family),
    digest: sha256(blob),
    size: blob.length,
  };
  return { descriptor, diffId: sha256(tar), tar, blob };
}

export interface TestImageSpec {
  readonly layers: readonly (readonly TestEntry[])[];
  readonly platform?: Platform;
  readonly family?: ImageFamily;
  readonly compression?: LayerCompression;
  readonly config?: ContainerConfig;
  readonly created?: string;
  /** Tags the image in the store under this name. */
  readonly tag?: string;
}

/** Builds and stores a complete image: layers, config (with history) and manifest; optionally tags it. */
export async function buildTestImage(store: ImageStore, spec: TestImageSpec): Promise<Image> {
  const family = spec.family ?? 'oci';
  let draft = ImageDraft.scratch(spec.platform ?? { os: 'linux', architecture: 'amd64' }, family)
    .withCreated(spec.created ?? '2024-01-02T03:04:05Z')
    .withConfig(
      spec.config ?? { Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'] },
    );
  for (const [i, entries] of spec.layers.entries()) {
    const layer = await storeLayer(store, entries, spec.compression ?? 'gzip', family);
    draft = draft.withLayer(layer, {
      created: spec.created ?? '2024-01-02T03:04:05Z',
      created_by: `layer ${i}`,
    });
  }
  draft = draft.withHistory({ created_by: 'CMD ["sh"]' }).withConfig({ Cmd: ['sh'] });
  const image = await draft.write(store);
  if (spec.tag) await store.tag(spec.tag, image.descriptor);
  return image;
}
