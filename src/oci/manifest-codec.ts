/**
 * Bytes ⇄ OCI model. Parsing validates what the model promises (schemaVersion 2, a mediaType consistent with the
 * body, well-formed descriptors), rejects Docker schema 1, and infers a missing manifest mediaType (old
 * registries omit it) — the parsed value always carries one. Encoding produces the exact bytes we hash, store
 * and push: the bytes Go's encoding/json writes for the same structs, as BuildKit writes them (layout and key
 * order documented in manifest-codec-json.ts); no trailing newline.
 */
import { isDigest, sha256, type Digest } from './digest.js';
import { MediaType, isImageManifestMediaType, isIndexMediaType } from './media-types.js';
import {
  configShape,
  descriptorShape,
  encodeGoJson,
  indexShape,
  manifestShape,
} from './manifest-codec-json.js';
import {
  ManifestFormatError,
  isRecord,
  optionalString,
  optionalStringMap,
  parseDescriptor,
  parseObject,
  stringArray,
} from './manifest-codec-fields.js';
import type {
  ContainerConfig,
  Descriptor,
  HistoryEntry,
  ImageConfig,
  ImageIndex,
  ImageManifest,
} from './types.js';

export { ManifestFormatError, parseDescriptor } from './manifest-codec-fields.js';

export type ParsedManifest =
  | { readonly kind: 'image'; readonly manifest: ImageManifest }
  | { readonly kind: 'index'; readonly index: ImageIndex };

export interface ParseOptions {
  /** The media type the bytes were served or referenced with (Content-Type, parent descriptor). */
  readonly mediaType?: string;
  /** Names the content in errors, e.g. `manifest sha256:… of ghcr.io/o/app:1`. */
  readonly source?: string;
}

const schema1Types = new Set([
  'application/vnd.docker.distribution.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v1+prettyjws',
]);

/** Parses an image manifest or an index (OCI or Docker schema 2). */
export function parseManifest(bytes: Uint8Array | string, opts: ParseOptions = {}): ParsedManifest {
  const src = opts.source ?? 'manifest';
  const body = parseObject(bytes, src);
  const declared = optionalString(body, 'mediaType', src);
  if (
    body['schemaVersion'] === 1 ||
    schema1Types.has(declared ?? '') ||
    schema1Types.has(opts.mediaType ?? '')
  ) {
    throw new ManifestFormatError(
      src,
      'is a Docker schema 1 manifest, which is deprecated and not supported',
      're-push the image with a current Docker or BuildKit so the registry serves a schema 2 or OCI manifest',
    );
  }
  if (body['schemaVersion'] !== 2) {
    throw new ManifestFormatError(
      src,
      `schemaVersion must be 2, got ${JSON.stringify(body['schemaVersion'])}`,
    );
  }
  if (declared !== undefined && opts.mediaType !== undefined && declared !== opts.mediaType) {
    throw new ManifestFormatError(src, `mediaType ${declared} does not match the expected ${opts.mediaType}`);
  }
  const hasManifests = 'manifests' in body;
  const hasLayers = 'layers' in body || 'config' in body;
  if (hasManifests && hasLayers) {
    throw new ManifestFormatError(
      src,
      'has both "manifests" and "config"/"layers": it is neither an index nor a manifest',
    );
  }
  const mediaType = declared ?? opts.mediaType ?? inferMediaType(body, hasManifests);
  if (isIndexMediaType(mediaType)) {
    if (!hasManifests) throw new ManifestFormatError(src, `mediaType ${mediaType} but no "manifests" array`);
    return { kind: 'index', index: decodeIndex(body, mediaType, src) };
  }
  if (isImageManifestMediaType(mediaType)) {
    if (!hasLayers) throw new ManifestFormatError(src, `mediaType ${mediaType} but no "config" and "layers"`);
    return { kind: 'image', manifest: decodeImageManifest(body, mediaType, src) };
  }
  throw new ManifestFormatError(src, `unsupported manifest mediaType ${JSON.stringify(mediaType)}`);
}

export function parseImageManifest(bytes: Uint8Array | string, opts: ParseOptions = {}): ImageManifest {
  const parsed = parseManifest(bytes, opts);
  if (parsed.kind !== 'image') {
    throw new ManifestFormatError(
      opts.source ?? 'manifest',
      'is an image index where an image manifest was expected',
    );
  }
  return parsed.manifest;
}

export function parseImageIndex(bytes: Uint8Array | string, opts: ParseOptions = {}): ImageIndex {
  const parsed = parseManifest(bytes, opts);
  if (parsed.kind !== 'index') {
    throw new ManifestFormatError(
      opts.source ?? 'manifest',
      'is an image manifest where an index was expected',
    );
  }
  return parsed.index;
}

function inferMediaType(body: Record<string, unknown>, isIndex: boolean): string {
  if (isIndex) return MediaType.ociIndex;
  const config = body['config'];
  const configType = isRecord(config) ? config['mediaType'] : undefined;
  return configType === MediaType.dockerConfig ? MediaType.dockerManifest : MediaType.ociManifest;
}

function decodeImageManifest(body: Record<string, unknown>, mediaType: string, src: string): ImageManifest {
  const layers = body['layers'] ?? [];
  if (!Array.isArray(layers)) throw new ManifestFormatError(src, '"layers" must be an array');
  return {
    ...pickCommon(body, src),
    schemaVersion: 2,
    mediaType,
    config: parseDescriptor(body['config'], `${src} config`),
    layers: layers.map((l, i) => parseDescriptor(l, `${src} layers[${i}]`)),
  };
}

function decodeIndex(body: Record<string, unknown>, mediaType: string, src: string): ImageIndex {
  const manifests = body['manifests'];
  if (!Array.isArray(manifests)) throw new ManifestFormatError(src, '"manifests" must be an array');
  return {
    ...pickCommon(body, src),
    schemaVersion: 2,
    mediaType,
    manifests: manifests.map((m, i) => parseDescriptor(m, `${src} manifests[${i}]`)),
  };
}

function pickCommon(
  body: Record<string, unknown>,
  src: string,
): { artifactType?: string; subject?: Descriptor; annotations?: Record<string, string> } {
  const out: { artifactType?: string; subject?: Descriptor; annotations?: Record<string, string> } = {};
  const artifactType = optionalString(body, 'artifactType', src);
  if (artifactType !== undefined) out.artifactType = artifactType;
  if (body['subject'] !== undefined) out.subject = parseDescriptor(body['subject'], `${src} subject`);
  const annotations = optionalStringMap(body, 'annotations', src);
  if (annotations !== undefined) out.annotations = annotations;
  return out;
}

/**
 * Parses an image config. Keeps the fields of the model (unknown top-level fields such as `container_config`
 * are dropped, as BuildKit drops them when it derives an image from a base).
 */
export function parseImageConfig(bytes: Uint8Array | string, opts: ParseOptions = {}): ImageConfig {
  const src = opts.source ?? 'image config';
  const body = parseObject(bytes, src);
  const architecture = optionalString(body, 'architecture', src);
  const os = optionalString(body, 'os', src);
  if (!architecture || !os) throw new ManifestFormatError(src, 'needs both "architecture" and "os"');
  const rootfs = body['rootfs'];
  if (!isRecord(rootfs) || rootfs['type'] !== 'layers') {
    throw new ManifestFormatError(src, 'rootfs must be {"type":"layers","diff_ids":[…]}');
  }
  const diffIds = stringArray(rootfs['diff_ids'] ?? [], `${src} rootfs.diff_ids`).map((d, i): Digest => {
    if (!isDigest(d))
      throw new ManifestFormatError(src, `rootfs.diff_ids[${i}] ${JSON.stringify(d)} is not a digest`);
    return d;
  });
  const out: { -readonly [K in keyof ImageConfig]: ImageConfig[K] } = {
    architecture,
    os,
    rootfs: { type: 'layers', diff_ids: diffIds },
  };
  for (const key of ['created', 'author', 'variant', 'os.version'] as const) {
    const v = optionalString(body, key, src);
    if (v !== undefined) out[key] = v;
  }
  if (body['os.features'] !== undefined) out['os.features'] = stringArray(body['os.features'], src);
  if (body['config'] !== undefined && body['config'] !== null) {
    if (!isRecord(body['config'])) throw new ManifestFormatError(src, '"config" must be an object');
    out.config = body['config'] as ContainerConfig;
  }
  if (body['history'] !== undefined && body['history'] !== null) {
    if (!Array.isArray(body['history']) || !body['history'].every(isRecord)) {
      throw new ManifestFormatError(src, '"history" must be an array of objects');
    }
    out.history = body['history'] as HistoryEntry[];
  }
  return out;
}

/** The bytes to hash and store for a manifest, index, config (chosen by shape) or any other JSON value. */
export function encodeJson(value: unknown): Buffer {
  if (isRecord(value) && Array.isArray(value['manifests']) && 'schemaVersion' in value)
    return encodeIndex(value as never);
  if (isRecord(value) && 'layers' in value && 'config' in value && 'schemaVersion' in value) {
    return encodeManifest(value as never);
  }
  if (isRecord(value) && isRecord(value['rootfs'])) return encodeConfig(value as never);
  return Buffer.from(encodeGoJson(value, { kind: 'any' }), 'utf8');
}

export function encodeManifest(manifest: ImageManifest): Buffer {
  return Buffer.from(encodeGoJson(manifest, manifestShape, '   '), 'utf8');
}

export function encodeIndex(index: ImageIndex): Buffer {
  return Buffer.from(encodeGoJson(index, indexShape, '   '), 'utf8');
}

export function encodeConfig(config: ImageConfig): Buffer {
  return Buffer.from(encodeGoJson(config, configShape), 'utf8');
}

/** A descriptor's JSON alone (compact), e.g. for logs and cache keys. */
export function encodeDescriptor(descriptor: Descriptor): Buffer {
  return Buffer.from(encodeGoJson(descriptor, descriptorShape), 'utf8');
}

/** A descriptor for `bytes` with `mediaType` (plus optional extra fields such as annotations or platform). */
export function describeBytes(
  bytes: Uint8Array,
  mediaType: string,
  extra: Omit<Partial<Descriptor>, 'mediaType' | 'digest' | 'size'> = {},
): Descriptor {
  return { mediaType, digest: sha256(bytes), size: bytes.length, ...extra };
}

/** Encodes a manifest or index and describes the result: what a writer stores and what a parent references. */
export function encodeManifestWithDescriptor(value: ImageManifest | ImageIndex): {
  bytes: Buffer;
  descriptor: Descriptor;
} {
  const bytes = 'manifests' in value ? encodeIndex(value) : encodeManifest(value);
  return { bytes, descriptor: describeBytes(bytes, value.mediaType) };
}
