/**
 * The pieces of a stored image in push order: its blobs (configs and layers, each once), the image manifests
 * of an index (children), and the top manifest or index whose bytes go to the tags.
 */
import { InternalError } from '../errors.js';
import { parseManifest } from '../oci/manifest-codec.js';
import type { Descriptor, ImageManifest } from '../oci/types.js';
import type { BlobStore } from '../store/types.js';

export interface StoredManifest {
  readonly descriptor: Descriptor;
  readonly bytes: Buffer;
}

export interface ImageTree {
  readonly top: StoredManifest;
  /** Image manifests referenced by an index (empty for a single image), pushed by digest before the top. */
  readonly children: readonly StoredManifest[];
  /** Configs and layers, each digest once. */
  readonly blobs: readonly Descriptor[];
}

const maxDepth = 4;

/**
 * Manifests must be in the store. Blobs must be too, unless `lazy` is set: then a blob may be missing (a cached
 * layer the build never needed to download) and is fetched only if the target registry has no way to get it.
 */
export async function collectImageTree(
  store: BlobStore,
  source: Descriptor,
  name: string,
  lazy = false,
): Promise<ImageTree> {
  const children: StoredManifest[] = [];
  const blobs = new Map<string, Descriptor>();
  const top = await readManifest(store, source, name);
  await walk(store, top, name, 0, children, blobs);
  await checkBlobsStored(store, [...blobs.values()], name, lazy);
  return { top, children, blobs: [...blobs.values()] };
}

/** Every blob in the store has its descriptor's size; without `lazy`, every blob is there, before anything is pushed. */
async function checkBlobsStored(
  store: BlobStore,
  blobs: readonly Descriptor[],
  name: string,
  lazy: boolean,
): Promise<void> {
  for (const d of blobs) {
    const info = await store.stat(d.digest);
    if (!info && lazy) continue;
    if (!info || info.size !== d.size) {
      const what = info ? `has ${info.size} bytes, not ${d.size}` : 'is missing';
      throw new InternalError(`image ${name} is incomplete in the local store: blob ${d.digest} ${what}`, {
        hint: 'rebuild or re-pull the image',
      });
    }
  }
}

async function walk(
  store: BlobStore,
  node: StoredManifest,
  name: string,
  depth: number,
  children: StoredManifest[],
  blobs: Map<string, Descriptor>,
): Promise<void> {
  const parsed = parseManifest(node.bytes, {
    mediaType: node.descriptor.mediaType,
    source: `manifest ${node.descriptor.digest} of ${name}`,
  });
  if (parsed.kind === 'image') return addBlobs(parsed.manifest, blobs);
  if (depth >= maxDepth) throw new InternalError(`image ${name}: indexes are nested too deeply`);
  for (const d of parsed.index.manifests) {
    const child = await readManifest(store, d, name);
    if (!children.some((c) => c.descriptor.digest === d.digest)) {
      await walk(store, child, name, depth + 1, children, blobs);
      children.push(child);
    }
  }
}

function addBlobs(m: ImageManifest, blobs: Map<string, Descriptor>): void {
  for (const d of [m.config, ...m.layers]) {
    if (d.urls && d.urls.length > 0 && d.mediaType.includes('nondistributable')) continue;
    if (d.urls && d.urls.length > 0 && d.mediaType.includes('foreign')) continue;
    if (!blobs.has(d.digest)) blobs.set(d.digest, d);
  }
}

async function readManifest(store: BlobStore, d: Descriptor, name: string): Promise<StoredManifest> {
  if (!(await store.has(d.digest))) {
    throw new InternalError(
      `image ${name} is incomplete in the local store: manifest ${d.digest} is missing`,
      {
        hint: 'rebuild or re-pull the image',
      },
    );
  }
  return { descriptor: d, bytes: await store.read(d.digest) };
}
