/**
 * The read-only image view: a manifest, its config and its layers paired with their diffIDs, loaded from any
 * blob source (the local store, a registry-backed reader). `loadImage` resolves an index to the wanted
 * platform's manifest. New images are assembled with ImageDraft (image-draft.ts).
 */
import { InputError } from '../errors.js';
import { sha256, type Digest } from './digest.js';
import { ManifestFormatError, parseImageConfig, parseManifest } from './manifest-codec.js';
import { MediaType } from './media-types.js';
import { formatPlatform, normalizePlatform, platformMatches } from './platform.js';
import type { Descriptor, ImageConfig, ImageIndex, ImageManifest, Platform } from './types.js';

/** Where image content comes from; the store's BlobStore satisfies it. */
export interface BlobReader {
  read(digest: Digest): Promise<Buffer>;
}

/** A layer: its (usually compressed) blob and the sha256 of its uncompressed tar. */
export interface Layer {
  readonly descriptor: Descriptor;
  readonly diffId: Digest;
}

/** OCI media types, or Docker schema 2 ones; one image never mixes them. */
export type ImageFamily = 'oci' | 'docker';

export interface Image {
  /** The image manifest's descriptor (as referenced by the index it was resolved from, if any). */
  readonly descriptor: Descriptor;
  readonly manifest: ImageManifest;
  readonly config: ImageConfig;
  /** Base first; `layers[i].diffId` is `config.rootfs.diff_ids[i]`. */
  readonly layers: readonly Layer[];
  /** The platform the config declares (os, architecture, variant, os.version). */
  readonly platform: Platform;
  readonly family: ImageFamily;
  /** The index the manifest was selected from, when `loadImage` was given an index. */
  readonly index?: { readonly descriptor: Descriptor; readonly index: ImageIndex };
}

export interface LoadImageOptions {
  /** Which manifest of an index to use; required when an index has several candidates. */
  readonly platform?: Platform;
  /** Names the image in errors, e.g. `ghcr.io/owner/app:1`. */
  readonly name?: string;
}

/** No manifest in an index matches the wanted platform. Lists what the image offers. */
export class PlatformNotFoundError extends InputError {
  constructor(
    readonly image: string,
    readonly wanted: Platform | undefined,
    readonly available: readonly Platform[],
  ) {
    const offered = available.map(formatPlatform).join(', ') || 'none';
    super(
      'platform',
      wanted
        ? `image ${image} has no ${formatPlatform(wanted)} variant (it offers: ${offered})`
        : `image ${image} is multi-platform (${offered}); say which platform to use`,
      { hint: `set the platform to one of: ${offered}` },
    );
  }
}

/** Loads the image `descriptor` points at; an index is resolved to the manifest for `options.platform`. */
export async function loadImage(
  blobs: BlobReader,
  descriptor: Descriptor,
  options: LoadImageOptions = {},
): Promise<Image> {
  const name = options.name ?? descriptor.digest;
  let current = descriptor;
  let parent: Image['index'];
  for (let depth = 0; ; depth++) {
    const bytes = await readVerified(blobs, current, 'manifest');
    const parsed = parseManifest(bytes, {
      mediaType: current.mediaType,
      source: `manifest ${current.digest}`,
    });
    if (parsed.kind === 'image') return loadFromManifest(blobs, current, parsed.manifest, parent);
    if (depth >= 4) throw new ManifestFormatError(`image ${name}`, 'indexes are nested too deeply');
    parent = { descriptor: current, index: parsed.index };
    current = selectManifest(parsed.index, options.platform, name);
  }
}

/**
 * The index entry for `platform`: an exact match (os, architecture, variant after normalisation); without a
 * platform, the only image entry. Attestation entries (`unknown/unknown`) are never chosen.
 */
export function selectManifest(index: ImageIndex, platform: Platform | undefined, name: string): Descriptor {
  const candidates = index.manifests.filter((d) => !isAttestation(d));
  const available = candidates.flatMap((d) => (d.platform ? [normalizePlatform(d.platform)] : []));
  if (platform === undefined) {
    if (candidates.length === 1) return candidates[0]!;
    throw new PlatformNotFoundError(name, undefined, available);
  }
  const match = candidates.find((d) => platformMatches(platform, d.platform));
  if (!match) throw new PlatformNotFoundError(name, normalizePlatform(platform), available);
  return match;
}

function isAttestation(d: Descriptor): boolean {
  return (
    d.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest' ||
    (d.platform?.os === 'unknown' && d.platform.architecture === 'unknown')
  );
}

async function loadFromManifest(
  blobs: BlobReader,
  descriptor: Descriptor,
  manifest: ImageManifest,
  index: Image['index'],
): Promise<Image> {
  const configBytes = await readVerified(blobs, manifest.config, 'config');
  const config = parseImageConfig(configBytes, { source: `config ${manifest.config.digest}` });
  const diffIds = config.rootfs.diff_ids;
  if (diffIds.length !== manifest.layers.length) {
    throw new ManifestFormatError(
      `image ${descriptor.digest}`,
      `the config lists ${diffIds.length} diff_ids for ${manifest.layers.length} layers`,
    );
  }
  return {
    descriptor,
    manifest,
    config,
    layers: manifest.layers.map((d, i) => ({ descriptor: d, diffId: diffIds[i]! })),
    platform: platformOfConfig(config),
    family: manifest.mediaType === MediaType.dockerManifest ? 'docker' : 'oci',
    ...(index ? { index } : {}),
  };
}

/** The platform an image config declares. */
export function platformOfConfig(config: ImageConfig): Platform {
  const p: { -readonly [K in keyof Platform]: Platform[K] } = {
    architecture: config.architecture,
    os: config.os,
  };
  if (config.variant) p.variant = config.variant;
  if (config['os.version']) p['os.version'] = config['os.version'];
  if (config['os.features']?.length) p['os.features'] = config['os.features'];
  return p;
}

async function readVerified(blobs: BlobReader, d: Descriptor, what: string): Promise<Buffer> {
  const bytes = await blobs.read(d.digest);
  if (bytes.length !== d.size || sha256(bytes) !== d.digest) {
    throw new ManifestFormatError(
      `${what} ${d.digest}`,
      `content does not match its descriptor (${bytes.length} bytes, digest ${sha256(bytes)}; expected ${d.size} bytes)`,
      'the blob is corrupt; pull or build the image again',
    );
  }
  return bytes;
}
