/**
 * ImageDraft: a pure, immutable builder for a new image. Every `with…` returns a new draft; nothing touches a
 * store until `write`, which encodes the config and manifest (manifest-codec: BuildKit's bytes), stores both and
 * returns the resulting Image. Layer media types are converted to the draft's family (OCI or Docker schema 2),
 * so a Docker base image plus new layers never mixes the two.
 */
import { InternalError } from '../errors.js';
import type { Digest } from './digest.js';
import type { Image, ImageFamily, Layer } from './image.js';
import { platformOfConfig } from './image.js';
import { describeBytes, encodeConfig, encodeIndex, encodeManifest } from './manifest-codec.js';
import { MediaType } from './media-types.js';
import type {
  ContainerConfig,
  Descriptor,
  HistoryEntry,
  ImageConfig,
  ImageIndex,
  ImageManifest,
  Platform,
} from './types.js';

/** Where new blobs go; the store's BlobStore satisfies it. */
export interface BlobWriter {
  put(data: Uint8Array, expected?: { readonly digest: Digest; readonly size?: number }): Promise<unknown>;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export class ImageDraft {
  private constructor(
    readonly family: ImageFamily,
    /** The config without rootfs (derived from `layers` when written). */
    readonly config: Omit<ImageConfig, 'rootfs'>,
    readonly layers: readonly Layer[],
    /** Manifest annotations (OCI only; Docker schema 2 manifests have none). */
    readonly annotations: Readonly<Record<string, string>> = {},
  ) {}

  /** An empty image (`FROM scratch`) for `platform`. */
  static scratch(platform: Platform, family: ImageFamily = 'oci'): ImageDraft {
    const config: Mutable<Omit<ImageConfig, 'rootfs'>> = {
      architecture: platform.architecture,
      os: platform.os,
    };
    if (platform.variant) config.variant = platform.variant;
    if (platform['os.version']) config['os.version'] = platform['os.version'];
    return new ImageDraft(family, config, []);
  }

  /** A draft that starts from an existing image (`FROM base`): its config, history and layers. */
  static from(base: Image, family: ImageFamily = base.family): ImageDraft {
    const { rootfs: _rootfs, ...config } = base.config;
    return new ImageDraft(family, config, base.layers);
  }

  /** Appends a layer with the history entry that created it. */
  withLayer(layer: Layer, history: HistoryEntry): ImageDraft {
    const entry: HistoryEntry = { ...history };
    delete (entry as Mutable<HistoryEntry>).empty_layer;
    return this.next({ layers: [...this.layers, layer], config: this.withHistoryEntry(entry) });
  }

  /** Records a metadata-only step (ENV, LABEL, CMD…) in the history, as an empty layer. */
  withHistory(history: HistoryEntry): ImageDraft {
    return this.next({ config: this.withHistoryEntry({ ...history, empty_layer: true }) });
  }

  /** Changes the runtime config: a partial object is merged over the current one; a function maps it. */
  withConfig(change: Partial<ContainerConfig> | ((current: ContainerConfig) => ContainerConfig)): ImageDraft {
    const current = this.config.config ?? {};
    const config = typeof change === 'function' ? change(current) : { ...current, ...change };
    return this.next({ config: { ...this.config, config } });
  }

  withCreated(created: string | undefined): ImageDraft {
    return this.next({ config: setOrDelete(this.config, 'created', created) });
  }

  withAuthor(author: string | undefined): ImageDraft {
    return this.next({ config: setOrDelete(this.config, 'author', author) });
  }

  withPlatform(platform: Platform): ImageDraft {
    let config: Omit<ImageConfig, 'rootfs'> = {
      ...this.config,
      architecture: platform.architecture,
      os: platform.os,
    };
    config = setOrDelete(config, 'variant', platform.variant);
    config = setOrDelete(config, 'os.version', platform['os.version']);
    return this.next({ config });
  }

  withAnnotations(annotations: Readonly<Record<string, string>>): ImageDraft {
    return this.next({ annotations: { ...this.annotations, ...annotations } });
  }

  withFamily(family: ImageFamily): ImageDraft {
    return this.next({ family });
  }

  /** The complete config this draft writes. */
  toConfig(): ImageConfig {
    return { ...this.config, rootfs: { type: 'layers', diff_ids: this.layers.map((l) => l.diffId) } };
  }

  /** The manifest for a config blob described by `config`. */
  toManifest(config: Descriptor): ImageManifest {
    const docker = this.family === 'docker';
    const manifest: Mutable<ImageManifest> = {
      schemaVersion: 2,
      mediaType: docker ? MediaType.dockerManifest : MediaType.ociManifest,
      config,
      layers: this.layers.map((l) => convertLayer(l.descriptor, this.family)),
    };
    if (!docker && Object.keys(this.annotations).length > 0) manifest.annotations = { ...this.annotations };
    return manifest;
  }

  /** Stores the config and manifest blobs (layers must already be stored) and returns the new image. */
  async write(blobs: BlobWriter): Promise<Image> {
    const config = this.toConfig();
    const configBytes = encodeConfig(config);
    const configType = this.family === 'docker' ? MediaType.dockerConfig : MediaType.ociConfig;
    const configDesc = describeBytes(configBytes, configType);
    const manifest = this.toManifest(configDesc);
    const manifestBytes = encodeManifest(manifest);
    const descriptor = describeBytes(manifestBytes, manifest.mediaType);
    await blobs.put(configBytes, configDesc);
    await blobs.put(manifestBytes, descriptor);
    const layers = manifest.layers.map((d, i) => ({ descriptor: d, diffId: this.layers[i]!.diffId }));
    return { descriptor, manifest, config, layers, platform: platformOfConfig(config), family: this.family };
  }

  private withHistoryEntry(entry: HistoryEntry): Omit<ImageConfig, 'rootfs'> {
    return { ...this.config, history: [...(this.config.history ?? []), entry] };
  }

  private next(
    change: Partial<Pick<ImageDraft, 'family' | 'config' | 'layers' | 'annotations'>>,
  ): ImageDraft {
    return new ImageDraft(
      change.family ?? this.family,
      change.config ?? this.config,
      change.layers ?? this.layers,
      change.annotations ?? this.annotations,
    );
  }
}

/**
 * Writes an index over `images` (one entry per image, with its platform) and returns its descriptor. The
 * index's family follows the images' (an OCI index of Docker manifests would mix the two).
 */
export async function writeIndex(
  blobs: BlobWriter,
  images: readonly Image[],
  annotations: Readonly<Record<string, string>> = {},
): Promise<Descriptor> {
  const families = new Set(images.map((i) => i.family));
  if (families.size > 1) throw new InternalError('cannot index OCI and Docker manifests together');
  const docker = families.has('docker');
  const index: Mutable<ImageIndex> = {
    schemaVersion: 2,
    mediaType: docker ? MediaType.dockerManifestList : MediaType.ociIndex,
    manifests: images.map((i) => ({
      mediaType: i.descriptor.mediaType,
      digest: i.descriptor.digest,
      size: i.descriptor.size,
      platform: i.platform,
    })),
  };
  if (!docker && Object.keys(annotations).length > 0) index.annotations = { ...annotations };
  const bytes = encodeIndex(index);
  const descriptor = describeBytes(bytes, index.mediaType);
  await blobs.put(bytes, descriptor);
  return descriptor;
}

const ociToDocker: Readonly<Record<string, string>> = {
  [MediaType.ociLayerGzip]: MediaType.dockerLayerGzip,
  [MediaType.ociLayer]: 'application/vnd.docker.image.rootfs.diff.tar',
  [MediaType.ociLayerNondistributableGzip]: MediaType.dockerForeignLayerGzip,
};
const dockerToOci: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(ociToDocker).map(([oci, docker]) => [docker, oci]),
);

/** A layer descriptor in `family`'s media types (Docker manifests carry no layer annotations, as BuildKit). */
function convertLayer(d: Descriptor, family: ImageFamily): Descriptor {
  if (family === 'oci') {
    const mediaType = dockerToOci[d.mediaType] ?? d.mediaType;
    return mediaType === d.mediaType ? d : { ...d, mediaType };
  }
  const mediaType = ociToDocker[d.mediaType] ?? d.mediaType;
  if (!mediaType.startsWith('application/vnd.docker.')) {
    throw new InternalError(`layer ${d.digest} (${d.mediaType}) has no Docker schema 2 media type`, {
      hint: 'zstd layers need OCI media types; build with OCI media types or gzip compression',
    });
  }
  const { annotations: _a, ...rest } = d;
  return { ...rest, mediaType };
}

function setOrDelete<T extends object, K extends keyof T>(obj: T, key: K, value: T[K] | undefined): T {
  const out = { ...obj };
  if (value === undefined || value === '') delete out[key];
  else out[key] = value;
  return out;
}
