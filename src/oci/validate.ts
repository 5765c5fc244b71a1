/**
 * validateImage: checks an image's invariants against the blobs actually stored — every referenced blob present
 * with the right size and digest (re-hashed), manifests and config parse, rootfs.diff_ids pair with the layers
 * and each layer decompresses to a tar whose sha256 is its diffID, history accounts for every layer, one media
 * type family per image, index children recursively (with the platform they claim). Returns the problems found;
 * `assertValidImage` throws them as one error.
 */
import type { Readable } from 'node:stream';
import { InternalError } from '../errors.js';
import { sha256, type Digest } from './digest.js';
import { platformOfConfig } from './image.js';
import { parseImageConfig, parseManifest } from './manifest-codec.js';
import { MediaType, isLayerMediaType } from './media-types.js';
import { formatPlatform, platformMatches } from './platform.js';
import type { Descriptor, ImageConfig, ImageIndex, ImageManifest, Platform } from './types.js';
import { checkLayerBlob } from './validate-layer.js';

/** What validation reads; the store's BlobStore satisfies it. */
export interface BlobSource {
  stat(digest: Digest): Promise<{ readonly size: number } | undefined>;
  read(digest: Digest): Promise<Buffer>;
  open(digest: Digest): Readable;
}

/** One broken invariant; `where` locates it (e.g. `manifest sha256:… layers[2]`). */
export type ImageProblem =
  | { readonly kind: 'missing-blob'; readonly where: string; readonly digest: Digest }
  | {
      readonly kind: 'size-mismatch';
      readonly where: string;
      readonly digest: Digest;
      readonly expected: number;
      readonly actual: number;
    }
  | {
      readonly kind: 'digest-mismatch';
      readonly where: string;
      readonly digest: Digest;
      readonly actual: Digest;
    }
  | { readonly kind: 'invalid-manifest'; readonly where: string; readonly message: string }
  | { readonly kind: 'invalid-config'; readonly where: string; readonly message: string }
  | { readonly kind: 'unreadable-layer'; readonly where: string; readonly message: string }
  | {
      readonly kind: 'diff-id-count';
      readonly where: string;
      readonly layers: number;
      readonly diffIds: number;
    }
  | {
      readonly kind: 'diff-id-mismatch';
      readonly where: string;
      readonly expected: Digest;
      readonly actual: Digest;
    }
  | {
      readonly kind: 'history-count';
      readonly where: string;
      readonly layers: number;
      readonly history: number;
    }
  | {
      readonly kind: 'mixed-media-types';
      readonly where: string;
      readonly mediaType: string;
      readonly family: string;
    }
  | {
      readonly kind: 'platform-mismatch';
      readonly where: string;
      readonly declared: Platform;
      readonly actual: Platform;
    };

export async function validateImage(blobs: BlobSource, descriptor: Descriptor): Promise<ImageProblem[]> {
  const problems: ImageProblem[] = [];
  await validateManifestTree(blobs, descriptor, `manifest ${descriptor.digest}`, problems, 0);
  return problems;
}

/** Throws an InternalError naming the first problem (and how many more) when the image is invalid. */
export async function assertValidImage(
  blobs: BlobSource,
  descriptor: Descriptor,
  name?: string,
): Promise<void> {
  const problems = await validateImage(blobs, descriptor);
  if (problems.length === 0) return;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  throw new InternalError(
    `image ${name ?? descriptor.digest} is invalid: ${describeProblem(problems[0]!)}${more}`,
    {
      hint: 'the image content is corrupt or inconsistent; rebuild or pull it again',
    },
  );
}

export function describeProblem(p: ImageProblem): string {
  switch (p.kind) {
    case 'missing-blob':
      return `${p.where}: blob ${p.digest} is missing`;
    case 'size-mismatch':
      return `${p.where}: blob ${p.digest} is ${p.actual} bytes, the descriptor says ${p.expected}`;
    case 'digest-mismatch':
      return `${p.where}: blob ${p.digest} hashes to ${p.actual}`;
    case 'invalid-manifest':
    case 'invalid-config':
    case 'unreadable-layer':
      return `${p.where}: ${p.message}`;
    case 'diff-id-count':
      return `${p.where}: ${p.diffIds} rootfs.diff_ids for ${p.layers} layers`;
    case 'diff-id-mismatch':
      return `${p.where}: uncompressed content hashes to ${p.actual}, the config's diff_id is ${p.expected}`;
    case 'history-count':
      return `${p.where}: ${p.history} history entries with a layer for ${p.layers} layers`;
    case 'mixed-media-types':
      return `${p.where}: media type ${p.mediaType} in a ${p.family} image`;
    case 'platform-mismatch':
      return `${p.where}: the index says ${formatPlatform(p.declared)}, the config says ${formatPlatform(p.actual)}`;
  }
}

/** Reads a JSON blob after checking presence, size and digest; undefined (with a problem) when unusable. */
async function readJsonBlob(
  blobs: BlobSource,
  d: Descriptor,
  where: string,
  problems: ImageProblem[],
): Promise<Buffer | undefined> {
  const st = await blobs.stat(d.digest);
  if (!st) return void problems.push({ kind: 'missing-blob', where, digest: d.digest });
  if (st.size !== d.size) {
    return void problems.push({
      kind: 'size-mismatch',
      where,
      digest: d.digest,
      expected: d.size,
      actual: st.size,
    });
  }
  const bytes = await blobs.read(d.digest);
  const actual = sha256(bytes);
  if (actual !== d.digest)
    return void problems.push({ kind: 'digest-mismatch', where, digest: d.digest, actual });
  return bytes;
}

async function validateManifestTree(
  blobs: BlobSource,
  d: Descriptor,
  where: string,
  problems: ImageProblem[],
  depth: number,
): Promise<void> {
  const bytes = await readJsonBlob(blobs, d, where, problems);
  if (!bytes) return;
  let parsed;
  try {
    parsed = parseManifest(bytes, { mediaType: d.mediaType, source: where });
  } catch (err) {
    problems.push({
      kind: 'invalid-manifest',
      where,
      message: (err as Error).message.replace(`${where}: `, ''),
    });
    return;
  }
  if (parsed.kind === 'image')
    await validateImageManifest(blobs, parsed.manifest, where, problems, d.platform);
  else if (depth < 4) await validateIndex(blobs, parsed.index, where, problems, depth);
  else problems.push({ kind: 'invalid-manifest', where, message: 'indexes are nested too deeply' });
}

async function validateIndex(
  blobs: BlobSource,
  index: ImageIndex,
  where: string,
  problems: ImageProblem[],
  depth: number,
): Promise<void> {
  const family = familyOf(index.mediaType);
  for (const [i, child] of index.manifests.entries()) {
    const childWhere = `${where} manifests[${i}]`;
    if (familyOf(child.mediaType) !== family && familyOf(child.mediaType) !== 'neutral') {
      problems.push({ kind: 'mixed-media-types', where: childWhere, mediaType: child.mediaType, family });
    }
    await validateManifestTree(blobs, child, `manifest ${child.digest}`, problems, depth + 1);
  }
}

async function validateImageManifest(
  blobs: BlobSource,
  manifest: ImageManifest,
  where: string,
  problems: ImageProblem[],
  declared: Platform | undefined,
): Promise<void> {
  const family = familyOf(manifest.mediaType);
  const isImage =
    manifest.config.mediaType === MediaType.ociConfig || manifest.config.mediaType === MediaType.dockerConfig;
  for (const [i, d] of [manifest.config, ...manifest.layers].entries()) {
    if (familyOf(d.mediaType) !== family && familyOf(d.mediaType) !== 'neutral') {
      const at = i === 0 ? `${where} config` : `${where} layers[${i - 1}]`;
      problems.push({ kind: 'mixed-media-types', where: at, mediaType: d.mediaType, family });
    }
  }
  const configBytes = await readJsonBlob(blobs, manifest.config, `${where} config`, problems);
  let config: ImageConfig | undefined;
  if (configBytes && isImage) {
    try {
      config = parseImageConfig(configBytes, { source: `${where} config` });
    } catch (err) {
      problems.push({ kind: 'invalid-config', where: `${where} config`, message: (err as Error).message });
    }
  }
  const diffIds = config?.rootfs.diff_ids;
  if (diffIds && diffIds.length !== manifest.layers.length) {
    problems.push({ kind: 'diff-id-count', where, layers: manifest.layers.length, diffIds: diffIds.length });
  }
  for (const [i, layer] of manifest.layers.entries()) {
    const layerWhere = `${where} layers[${i}]`;
    const expected = diffIds?.length === manifest.layers.length ? diffIds[i] : undefined;
    const checkTar = isImage && isLayerMediaType(layer.mediaType);
    problems.push(
      ...(await checkLayerBlob(blobs, layer, layerWhere, checkTar ? expected : undefined, checkTar)),
    );
  }
  if (config) checkConfigAgainstManifest(config, manifest, where, declared, problems);
}

function checkConfigAgainstManifest(
  config: ImageConfig,
  manifest: ImageManifest,
  where: string,
  declared: Platform | undefined,
  problems: ImageProblem[],
): void {
  if (config.history !== undefined) {
    const withLayer = config.history.filter((h) => !h.empty_layer).length;
    if (withLayer !== manifest.layers.length) {
      problems.push({ kind: 'history-count', where, layers: manifest.layers.length, history: withLayer });
    }
  }
  const actual = platformOfConfig(config);
  if (declared && !platformMatches(declared, actual)) {
    problems.push({ kind: 'platform-mismatch', where, declared, actual });
  }
}

/** Which media type family a type belongs to; 'neutral' for types outside both (artifacts, in-toto…). */
function familyOf(mediaType: string): 'oci' | 'docker' | 'neutral' {
  if (mediaType.startsWith('application/vnd.oci.')) return 'oci';
  if (mediaType.startsWith('application/vnd.docker.')) return 'docker';
  return 'neutral';
}
