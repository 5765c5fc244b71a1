/**
 * Archive exports of one image from the store, written atomically (temp file in the target directory, fsync,
 * rename):
 * - `exportOciArchive`: a tar of an OCI image layout holding just that image (what `skopeo copy oci-archive:…`,
 *   `podman load` and `docker buildx … --output type=oci` use);
 * - `exportDockerArchive`: what `docker save` writes since Docker 25 — the same OCI layout plus `manifest.json`
 *   (`[{Config, RepoTags, Layers}]`, paths relative to the archive root) and `repositories` — read by `docker
 *   load` (any version: it follows manifest.json, decompresses layers by sniffing and checks each diffID) and by
 *   skopeo's `docker-archive:` transport. index.json names each tag with `io.containerd.image.name` (the full
 *   name, as containerd's importer expects) and `org.opencontainers.image.ref.name` (the tag).
 * Layer blobs are stored as they are in the store (compressed); entries are sorted, owned by 0:0, mtime 0, so
 * the same image gives the same archive bytes.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { InputError, InternalError } from '../errors.js';
import { digestHex, type Digest } from '../oci/digest.js';
import { loadImage } from '../oci/image.js';
import { encodeIndex } from '../oci/manifest-codec.js';
import { encodeGoJson, type JsonShape } from '../oci/manifest-codec-json.js';
import { MediaType } from '../oci/media-types.js';
import { tarStream } from '../oci/tar/writer.js';
import type { TarHeader } from '../oci/tar/types.js';
import type { Descriptor, ImageIndex, Platform } from '../oci/types.js';
import { syncPath } from './blob-files.js';
import { reachableBlobs } from './gc.js';
import { ociLayoutContent, refNameAnnotation } from './layout-index.js';
import type { ImageStore } from './types.js';

/** What to export: a name in the store, or a descriptor of a manifest/index it holds. */
export type ExportSource = string | Descriptor;

export interface DockerArchiveOptions {
  /** Names `docker load` tags the image with, e.g. `app:1`, `ghcr.io/owner/app:1` (name:tag, no digest). */
  readonly repoTags?: readonly string[];
  /** Which image of a multi-platform index to export (Docker archives hold single-platform images). */
  readonly platform?: Platform;
}

export async function exportOciArchive(store: ImageStore, source: ExportSource, out: string): Promise<void> {
  const { descriptor, name } = await resolveSource(store, source);
  const blobs = await collectBlobs(store, descriptor);
  const entry = name === undefined ? descriptor : withAnnotations(descriptor, { [refNameAnnotation]: name });
  const index: ImageIndex = { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [entry] };
  await writeArchive(out, layoutEntries(store, blobs, index, []));
}

export async function exportDockerArchive(
  store: ImageStore,
  source: ExportSource,
  out: string,
  options: DockerArchiveOptions = {},
): Promise<void> {
  const repoTags = (options.repoTags ?? []).map(checkRepoTag);
  const { descriptor, name } = await resolveSource(store, source);
  const image = await loadImage(store, descriptor, {
    platform: options.platform,
    name: name ?? descriptor.digest,
  });
  const blobs = await collectBlobs(store, image.descriptor);
  const entries = repoTags.map((tag) =>
    withAnnotations(image.descriptor, {
      'io.containerd.image.name': fullImageName(tag),
      [refNameAnnotation]: tag.slice(tag.lastIndexOf(':') + 1),
    }),
  );
  const index: ImageIndex = {
    schemaVersion: 2,
    mediaType: MediaType.ociIndex,
    manifests: entries.length > 0 ? entries : [image.descriptor],
  };
  const manifestJson = [
    {
      Config: blobEntryPath(image.manifest.config.digest),
      RepoTags: repoTags,
      Layers: image.layers.map((l) => blobEntryPath(l.descriptor.digest)),
    },
  ];
  const lastDiffId = image.layers.at(-1)?.diffId;
  const repositories: Record<string, Record<string, string>> = {};
  for (const tag of repoTags) {
    const colon = tag.lastIndexOf(':');
    (repositories[tag.slice(0, colon)] ??= {})[tag.slice(colon + 1)] = lastDiffId
      ? digestHex(lastDiffId)
      : '';
  }
  const extra: ArchiveFile[] = [{ name: 'manifest.json', data: goJsonLine(manifestJson, manifestJsonShape) }];
  if (repoTags.length > 0)
    extra.push({ name: 'repositories', data: goJsonLine(repositories, { kind: 'any' }) });
  await writeArchive(out, layoutEntries(store, blobs, index, extra));
}

async function resolveSource(
  store: ImageStore,
  source: ExportSource,
): Promise<{ descriptor: Descriptor; name?: string }> {
  if (typeof source !== 'string') return { descriptor: source };
  const descriptor = await store.resolve(source);
  if (!descriptor) {
    throw new InternalError(`image ${JSON.stringify(source)} is not in the image store ${store.root}`, {
      hint: 'build or pull it first, or use one of the names the store lists',
    });
  }
  const { [refNameAnnotation]: _name, ...rest } = descriptor.annotations ?? {};
  const clean: Descriptor = { ...descriptor, annotations: rest };
  if (Object.keys(rest).length === 0) delete (clean as { annotations?: unknown }).annotations;
  return { descriptor: clean, name: source };
}

/** Every blob the image needs, in a stable order; a missing one is an error (the archive would be broken). */
async function collectBlobs(
  store: ImageStore,
  root: Descriptor,
): Promise<{ digest: Digest; size: number }[]> {
  const digests = [...(await reachableBlobs(store, [root]))].sort();
  const out: { digest: Digest; size: number }[] = [];
  for (const digest of digests) {
    const info = await store.stat(digest);
    if (!info) {
      throw new InternalError(
        `cannot export ${root.digest}: blob ${digest} is not in the image store ${store.root}`,
        {
          hint: 'pull or build the image again so that the store holds all of it',
        },
      );
    }
    out.push(info);
  }
  return out;
}

interface ArchiveFile {
  readonly name: string;
  readonly data: Buffer;
}

type ArchiveEntry = { readonly header: TarHeader; readonly body?: Buffer | AsyncIterable<Uint8Array> };

/** The archive's entries, sorted by path as Docker's tar of a directory is. */
async function* layoutEntries(
  store: ImageStore,
  blobs: readonly { digest: Digest; size: number }[],
  index: ImageIndex,
  extra: readonly ArchiveFile[],
): AsyncGenerator<ArchiveEntry> {
  yield { header: dirHeader('blobs') };
  yield { header: dirHeader('blobs/sha256') };
  for (const b of blobs)
    yield { header: fileHeader(blobEntryPath(b.digest), b.size), body: store.open(b.digest) };
  const files: ArchiveFile[] = [
    { name: 'index.json', data: encodeIndex(index) },
    { name: 'oci-layout', data: Buffer.from(ociLayoutContent) },
    ...extra,
  ].sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const f of files) yield { header: fileHeader(f.name, f.data.length), body: f.data };
}

/** Streams the entries into `out` via a temp file next to it, renamed into place once complete and synced. */
async function writeArchive(out: string, entries: AsyncIterable<ArchiveEntry>): Promise<void> {
  const target = resolve(out);
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await pipeline(tarStream(entries), createWriteStream(temp, { mode: 0o644, flush: true }));
    await rename(temp, target);
    await syncPath(dirname(target));
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

function blobEntryPath(digest: Digest): string {
  return `blobs/sha256/${digestHex(digest)}`;
}

function dirHeader(path: string): TarHeader {
  return { path, type: 'directory', mode: 0o755, uid: 0, gid: 0, size: 0, mtime: 0 };
}

function fileHeader(path: string, size: number): TarHeader {
  return { path, type: 'file', mode: 0o644, uid: 0, gid: 0, size, mtime: 0 };
}

function withAnnotations(d: Descriptor, annotations: Record<string, string>): Descriptor {
  return { ...d, annotations: { ...d.annotations, ...annotations } };
}

const field = (name: string) => ({ name, shape: { kind: 'any' } as JsonShape, omitEmpty: false });
/** Docker's manifestItem struct: Config, RepoTags, Layers. */
const manifestJsonShape: JsonShape = {
  kind: 'array',
  items: { kind: 'struct', fields: [field('Config'), field('RepoTags'), field('Layers')] },
};

/** As Go's json.Encoder writes: compact, then a newline. */
function goJsonLine(value: unknown, shape: JsonShape): Buffer {
  return Buffer.from(`${encodeGoJson(value, shape)}\n`, 'utf8');
}

const tagPattern = /^\w[\w.-]{0,127}$/;
const componentPattern = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const domainPattern = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:]+\])(?::\d+)?$/;

/** A docker-archive RepoTag must be `name:tag` in Docker's grammar (docker load rejects digests and bare names). */
function checkRepoTag(repoTag: string): string {
  const { domain, path, tag } = splitRepoTag(repoTag);
  const ok =
    tag !== undefined &&
    tagPattern.test(tag) &&
    path.every((c) => componentPattern.test(c)) &&
    (domain === undefined || domainPattern.test(domain));
  if (!ok || repoTag.includes('@')) {
    throw new InputError('tags', `${JSON.stringify(repoTag)} cannot name an image in a Docker archive`, {
      hint: 'use a lower-case name:tag such as app:1.0 or ghcr.io/owner/app:1.0',
    });
  }
  return repoTag;
}

/** Docker's rule: the first component is a registry when it has a `.` or `:` or is `localhost`. */
function splitRepoTag(repoTag: string): { domain?: string; path: string[]; tag?: string } {
  const colon = repoTag.lastIndexOf(':');
  const hasTag = colon > repoTag.lastIndexOf('/');
  const name = hasTag ? repoTag.slice(0, colon) : repoTag;
  const parts = name.split('/');
  const first = parts[0]!;
  const domain =
    parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')
      ? first
      : undefined;
  return {
    domain,
    path: domain ? parts.slice(1) : parts,
    tag: hasTag ? repoTag.slice(colon + 1) : undefined,
  };
}

/** Docker's normalised name, for containerd: `app:1` → `docker.io/library/app:1`. */
function fullImageName(repoTag: string): string {
  const { domain, path, tag } = splitRepoTag(repoTag);
  const registry = domain ?? 'docker.io';
  const repo = registry === 'docker.io' && path.length === 1 ? ['library', ...path] : path;
  return `${registry}/${repo.join('/')}:${tag}`;
}
