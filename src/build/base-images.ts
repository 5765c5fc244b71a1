import type { Readable } from 'node:stream';
import { BuildStepError, RegistryError, type SourceLocation } from '../errors.js';
import type { Logger } from '../log.js';
import type { Digest } from '../oci/digest.js';
import { loadImage, selectManifest, type Image } from '../oci/image.js';
import { describeBytes, parseManifest } from '../oci/manifest-codec.js';
import { formatPlatform } from '../oci/platform.js';
import type { Descriptor, Platform } from '../oci/types.js';
import type { RegistryClient } from '../registry/client.js';
import { formatReference, parseReference, type Reference } from '../registry/reference.js';
import type { ImageStore } from '../store/types.js';

export interface ResolvedImage {
  /** The reference as written (after ARG expansion). */
  readonly ref: string;
  readonly reference: Reference;
  readonly image: Image;
  /** The platform-specific manifest's digest: what FROM contributes to cache keys. */
  readonly digest: Digest;
}

export interface BaseImagesOptions {
  readonly store: ImageStore;
  readonly registry: (registry: string) => RegistryClient;
  readonly logger: Logger;
  /** Always ask the registry, even for a tag stored locally. */
  readonly pull: boolean;
}

/**
 * Resolves images named by FROM and `--from` to a platform-specific manifest and config in the store. Layers
 * are not downloaded here: `fetchLayer` gets a blob when a step needs the files (a fully cached build needs none).
 * Tags are resolved at the registry (tags move); when it cannot be reached, a copy stored by an earlier build is
 * used with a warning.
 */
export class BaseImages {
  private readonly resolved = new Map<string, Promise<ResolvedImage>>();
  /** Layer digest → where it can be downloaded from. */
  private readonly origins = new Map<Digest, Reference>();

  constructor(private readonly options: BaseImagesOptions) {}

  resolve(ref: string, platform: Platform, location: SourceLocation): Promise<ResolvedImage> {
    const key = `${ref}\0${formatPlatform(platform)}`;
    let p = this.resolved.get(key);
    if (!p) {
      p = this.load(ref, platform, location);
      this.resolved.set(key, p);
    }
    return p;
  }

  /** True when `blob` is a layer of a resolved image (so `fetchBlob` can download it). */
  knows(blob: Descriptor): boolean {
    return this.origins.has(blob.digest);
  }

  /** A download of a base image layer (verified against its digest as it streams). */
  async openBlob(blob: Descriptor): Promise<Readable> {
    const origin = this.origins.get(blob.digest);
    if (!origin)
      throw new BuildStepError(
        `layer ${blob.digest} is missing from the store and no registry is known for it`,
      );
    return this.options.registry(origin.registry).fetchBlob(origin.repository, blob.digest, blob.size);
  }

  /** Downloads a base image layer into the store (digest-verified). */
  async fetchBlob(blob: Descriptor): Promise<void> {
    const origin = this.origins.get(blob.digest);
    if (!origin)
      throw new BuildStepError(
        `layer ${blob.digest} is missing from the store and no registry is known for it`,
      );
    const client = this.options.registry(origin.registry);
    const stream = await client.fetchBlob(origin.repository, blob.digest, blob.size);
    await this.options.store.putStream(stream, { digest: blob.digest, size: blob.size });
  }

  private async load(ref: string, platform: Platform, location: SourceLocation): Promise<ResolvedImage> {
    let reference: Reference;
    try {
      reference = parseReference(ref);
    } catch (err) {
      throw new BuildStepError(
        `invalid base image reference ${JSON.stringify(ref)}: ${(err as Error).message}`,
        { location, cause: err },
      );
    }
    const name = formatReference(reference);
    const storeName = `image-build/base/${name}@${formatPlatform(platform)}`;
    const local = await this.options.store.resolve(storeName);
    if (local && reference.digest !== undefined && !this.options.pull) {
      const image = await loadImage(this.options.store, local, { platform, name });
      for (const l of image.layers) this.origins.set(l.descriptor.digest, reference);
      return { ref, reference, image, digest: image.descriptor.digest };
    }
    let descriptor: Descriptor;
    try {
      descriptor = await this.fetchManifest(reference, platform, name);
    } catch (err) {
      if (!(err instanceof RegistryError) || !local || err.status !== undefined)
        throw withLocation(err, location);
      this.options.logger.warn(
        `cannot reach ${reference.registry} to resolve ${name}; using the copy stored by an earlier build`,
      );
      descriptor = local;
    }
    const image = await loadImage(this.options.store, descriptor, { platform, name });
    await this.options.store.tag(storeName, image.descriptor);
    for (const l of image.layers) this.origins.set(l.descriptor.digest, reference);
    this.options.logger.debug(`resolved ${name} (${formatPlatform(platform)}) to ${image.descriptor.digest}`);
    return { ref, reference, image, digest: image.descriptor.digest };
  }

  /** Stores the manifest (the platform's, when the reference names an index) and the config; returns the top. */
  private async fetchManifest(reference: Reference, platform: Platform, name: string): Promise<Descriptor> {
    const client = this.options.registry(reference.registry);
    const store = this.options.store;
    const top = await client.getManifest(reference.repository, reference.digest ?? reference.tag ?? 'latest');
    if (reference.digest && top.digest !== reference.digest) {
      throw new BuildStepError(
        `${name}: the registry returned manifest ${top.digest}, not the digest asked for`,
      );
    }
    await store.put(top.bytes, { digest: top.digest, size: top.bytes.length });
    const topDesc = describeBytes(top.bytes, top.mediaType);
    let parsed = parseManifest(top.bytes, { mediaType: top.mediaType, source: `manifest of ${name}` });
    if (parsed.kind === 'index') {
      const child = selectManifest(parsed.index, platform, name);
      if (!(await store.has(child.digest))) {
        const m = await client.getManifest(reference.repository, child.digest);
        await store.put(m.bytes, { digest: child.digest, size: child.size });
      }
      parsed = parseManifest(await store.read(child.digest), {
        mediaType: child.mediaType,
        source: `manifest of ${name}`,
      });
    }
    if (parsed.kind !== 'image')
      throw new BuildStepError(`${name}: an index inside an index is not supported`);
    const config = parsed.manifest.config;
    if (!(await store.has(config.digest))) {
      const stream = await client.fetchBlob(reference.repository, config.digest, config.size);
      await store.putStream(stream, { digest: config.digest, size: config.size });
    }
    return topDesc;
  }
}

function withLocation(err: unknown, location: SourceLocation): unknown {
  if (err instanceof RegistryError && err.location === undefined) {
    return new RegistryError(err.message, {
      location,
      ...(err.hint ? { hint: err.hint } : {}),
      ...(err.registry ? { registry: err.registry } : {}),
      ...(err.repository ? { repository: err.repository } : {}),
      ...(err.status !== undefined ? { status: err.status } : {}),
      ...(err.code ? { code: err.code } : {}),
      cause: err,
    });
  }
  return err;
}
