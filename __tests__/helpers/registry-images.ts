/**
 * Small synthetic OCI/Docker images for registry tests.
 *
 *   const img = makeTestImage({ layerSizes: [1000, 2000], platform: { os: 'linux', architecture: 'arm64' } });
 *   await storeTestImage(store, img, 'app:1');           // blobs + manifest into an ImageStore, tagged
 *   const idx = makeTestIndex([amd64, arm64]);            // an OCI index over images; storeTestIndex(store, …)
 *   blobContent(buffer)                                   // a BlobContent for RegistryClient.uploadBlob
 *
 * Each layer is a gzip-compressed tar holding one file of random bytes (`layer-<n>.bin`), so the config's
 * diff_ids are real and the image is a valid image for skopeo/umoci.
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { sha256, type Digest } from '../../src/oci/digest.js';
import { MediaType } from '../../src/oci/media-types.js';
import type { Descriptor, Platform } from '../../src/oci/types.js';
import type { BlobContent } from '../../src/registry/blob-upload.js';
import type { ImageStore } from '../../src/store/types.js';

export interface TestLayer {
  readonly tar: Buffer;
  readonly blob: Buffer;
  readonly descriptor: Descriptor;
  readonly diffId: Digest;
}

export interface TestImage {
  readonly layers: readonly TestLayer[];
  readonly config: Buffer;
  readonly configDescriptor: Descriptor;
  readonly manifest: Buffer;
  /** The manifest's descriptor, with the platform. */
  readonly descriptor: Descriptor;
}

export interface TestImageOptions {
  readonly layerSizes?: readonly number[];
  readonly platform?: Platform;
  readonly family?: 'oci' | 'docker';
  /** gzip level (default 1); 0 stores incompressible data quickly. */
  readonly gzipLevel?: number;
  /** Pre-made layers to use (e.g. a shared base layer). */
  readonly baseLayers?: readonly TestLayer[];
}

export function makeTestLayer(
  size: number,
  name: string,
  family: 'oci' | 'docker' = 'oci',
  gzipLevel = 1,
): TestLayer {
  const tar = tarOneFile(name, randomBytes(size));
  const blob = gzipSync(tar, { level: gzipLevel });
  const mediaType = family === 'oci' ? MediaType.ociLayerGzip : MediaType.dockerLayerGzip;
  return {
    tar,
    blob,
    diffId: sha256(tar),
    descriptor: { mediaType, digest: sha256(blob), size: blob.length },
  };
}

export function makeTestImage(options: TestImageOptions = {}): TestImage {
  const family = options.family ?? 'oci';
  const platform = options.platform ?? { os: 'linux', architecture: 'amd64' };
  const fresh = (options.layerSizes ?? [1024, 2048]).map((size, i) =>
    makeTestLayer(size, `layer-${i}.bin`, family, options.gzipLevel),
  );
  const layers = [...(options.baseLayers ?? []), ...fresh];
  const config = Buffer.from(
    JSON.stringify({
      architecture: platform.architecture,
      os: platform.os,
      ...(platform.variant ? { variant: platform.variant } : {}),
      config: { Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'] },
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
      history: layers.map((_, i) => ({ created_by: `test layer ${i}` })),
    }),
  );
  const configDescriptor: Descriptor = {
    mediaType: family === 'oci' ? MediaType.ociConfig : MediaType.dockerConfig,
    digest: sha256(config),
    size: config.length,
  };
  const mediaType = family === 'oci' ? MediaType.ociManifest : MediaType.dockerManifest;
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType,
      config: configDescriptor,
      layers: layers.map((l) => l.descriptor),
    }),
  );
  return {
    layers,
    config,
    configDescriptor,
    manifest,
    descriptor: { mediaType, digest: sha256(manifest), size: manifest.length, platform },
  };
}

export interface TestIndex {
  readonly bytes: Buffer;
  readonly descriptor: Descriptor;
  readonly images: readonly TestImage[];
}

export function makeTestIndex(images: readonly TestImage[]): TestIndex {
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.ociIndex,
      manifests: images.map((i) => i.descriptor),
    }),
  );
  return {
    bytes,
    images,
    descriptor: { mediaType: MediaType.ociIndex, digest: sha256(bytes), size: bytes.length },
  };
}

/** Writes an image's blobs and manifest into a store; tags it when `tag` is given. */
export async function storeTestImage(store: ImageStore, image: TestImage, tag?: string): Promise<Descriptor> {
  for (const l of image.layers)
    await store.put(l.blob, { digest: l.descriptor.digest, size: l.descriptor.size });
  await store.put(image.config, { digest: image.configDescriptor.digest });
  await store.put(image.manifest, { digest: image.descriptor.digest });
  const { platform: _platform, ...descriptor } = image.descriptor;
  if (tag) await store.tag(tag, descriptor);
  return descriptor;
}

export async function storeTestIndex(store: ImageStore, index: TestIndex, tag?: string): Promise<Descriptor> {
  for (const img of index.images) await storeTestImage(store, img);
  await store.put(index.bytes, { digest: index.descriptor.digest });
  if (tag) await store.tag(tag, index.descriptor);
  return index.descriptor;
}

export function blobContent(data: Buffer): BlobContent {
  return { digest: sha256(data), size: data.length, open: () => Readable.from([data]) };
}

/** A ustar archive holding one regular file. */
function tarOneFile(name: string, content: Buffer): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 100, 'utf8');
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(content.length.toString(8).padStart(11, '0') + '\0', 124);
  header.write('00000000000\0', 136);
  header.write('        ', 148);
  header.write('0', 156);
  header.write('ustar\0', 257);
  header.write('00', 263);
  let sum = 0;
  for (const b of header) sum += b;
  header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  const pad = Buffer.alloc((512 - (content.length % 512)) % 512);
  return Buffer.concat([header, content, pad, Buffer.alloc(1024)]);
}
